package io.smcvertx.handlers;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxTestContext;

/**
 * Connects a test client so that its handlers are in place before the socket's first event.
 *
 * <p>A test thread that calls {@code connect(...).onComplete(...)} races the event loop: when the
 * connection completes first, the callback is queued as a task and the loop may read the server's
 * data or FIN before it runs. A close handler set then never fires (RelayTest timed out in CI so).
 * Connecting from the client's own event loop makes the callback run synchronously on completion.
 */
public final class Connect {

    private Connect() {
    }

    /** Connects to {@code 127.0.0.1:port} and runs {@code then} on the event loop, before any I/O. */
    public static void onLoop(Vertx vertx, NetClient client, int port, VertxTestContext ctx, Handler<NetSocket> then) {
        vertx.runOnContext(x -> client.connect(port, "127.0.0.1").onComplete(ctx.succeeding(then)));
    }
}
