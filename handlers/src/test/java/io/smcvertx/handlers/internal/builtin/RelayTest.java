package io.smcvertx.handlers.internal.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.handlers.Connect;
import io.smcvertx.handlers.ConnectionInfo;
import io.smcvertx.handlers.ConnectionPipe;
import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.ProtocolHandlers;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class RelayTest {

    /**
     * Servers and clients of the running test. The test methods return before their sockets are
     * done, and Vert.x 5 closes a NetServer or NetClient that nothing references any more.
     */
    private final List<Object> keep = new ArrayList<>();

    private static RelayHandler relay(Vertx vertx, int port) {
        return (RelayHandler) ProtocolHandlers.load().create(HandlerConfig.fromJson(
                new JsonObject().put("name", "relay").put("host", "127.0.0.1").put("port", port), vertx));
    }

    private static NetServer front(Vertx vertx, RelayHandler relay, AtomicReference<ConnectionPipe> pipe) {
        return vertx.createNetServer().connectHandler(s -> pipe.set(ConnectionPipe.bind(s, relay, ConnectionInfo.of(s))))
                .listen(0, "127.0.0.1").await();
    }

    @Test
    void relaysBothWaysAndTheClientLeavingClosesUpstream(Vertx vertx, VertxTestContext ctx) {
        Promise<NetSocket> upstreamSide = Promise.promise();
        // upstream: answers each read with its upper-case form, so the test sees both directions
        NetServer upstream = vertx.createNetServer().connectHandler(s -> {
            upstreamSide.tryComplete(s);
            s.handler(b -> s.write(b.toString().toUpperCase()));
        }).listen(0, "127.0.0.1").await();
        keep.add(upstream);
        RelayHandler relay = relay(vertx, upstream.actualPort());
        AtomicReference<ConnectionPipe> pipe = new AtomicReference<>();
        NetServer front = front(vertx, relay, pipe);
        keep.add(front);
        NetClient client = vertx.createNetClient();
        keep.add(client);
        Checkpoint answered = ctx.checkpoint();
        Checkpoint upstreamClosed = ctx.checkpoint();
        Connect.onLoop(vertx, client, front.actualPort(), ctx, socket -> {
            Buffer got = Buffer.buffer();
            socket.handler(b -> {
                got.appendBuffer(b);
                if (got.length() == 5) {
                    ctx.verify(() -> {
                        assertThat(got.toString()).isEqualTo("HELLO");
                        assertThat(relay.openUpstreams()).isEqualTo(1);
                    });
                    answered.flag();
                    upstreamSide.future().onComplete(ctx.succeeding(up -> {
                        up.closeHandler(v -> {
                            ctx.verify(() -> assertThat(relay.openUpstreams()).isZero());
                            upstreamClosed.flag();
                        });
                        socket.close();
                    }));
                }
            });
            socket.write("hello");
        });
    }

    @Test
    void upstreamLeavingClosesTheClient(Vertx vertx, VertxTestContext ctx) {
        NetServer upstream = vertx.createNetServer().connectHandler(s -> s.end(Buffer.buffer("bye")))
                .listen(0, "127.0.0.1").await();
        keep.add(upstream);
        RelayHandler relay = relay(vertx, upstream.actualPort());
        AtomicReference<ConnectionPipe> pipe = new AtomicReference<>();
        NetServer front = front(vertx, relay, pipe);
        keep.add(front);
        NetClient client = vertx.createNetClient();
        keep.add(client);
        Connect.onLoop(vertx, client, front.actualPort(), ctx, socket -> {
            Buffer got = Buffer.buffer();
            socket.handler(got::appendBuffer);
            socket.closeHandler(v -> pipe.get().closed().onComplete(ctx.succeeding(w -> ctx.verify(() -> {
                assertThat(got.toString()).isEqualTo("bye");
                assertThat(pipe.get().failure()).isNull();
                assertThat(pipe.get().pendingWrites()).isZero();
                client.close();
                ctx.completeNow();
            }))));
        });
    }

    @Test
    void anUnreachableUpstreamClosesTheClientWithTheReason(Vertx vertx, VertxTestContext ctx) {
        NetServer gone = vertx.createNetServer().connectHandler(s -> { }).listen(0, "127.0.0.1").await();
        keep.add(gone);
        int port = gone.actualPort();
        gone.close().await();
        RelayHandler relay = relay(vertx, port);
        AtomicReference<ConnectionPipe> pipe = new AtomicReference<>();
        NetServer front = front(vertx, relay, pipe);
        keep.add(front);
        NetClient client = vertx.createNetClient();
        keep.add(client);
        Connect.onLoop(vertx, client, front.actualPort(), ctx, socket -> socket.closeHandler(v -> {
            ctx.verify(() -> assertThat(pipe.get().failure()).isInstanceOf(ConnectException.class));
            client.close();
            relay.close().subscribe().with(x -> ctx.completeNow(), ctx::failNow);
        }));
    }

    @Test
    void relayNeedsHostPortAndVertx() {
        var handlers = ProtocolHandlers.load();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> handlers.create(HandlerConfig.fromJson(
                new JsonObject().put("name", "relay").put("host", "h").put("port", 70000), null)))
                .hasMessageContaining("`handler.port` (handler `relay`) must be between 1 and 65535");
    }
}
