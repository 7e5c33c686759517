package io.smcvertx.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The handlers module's subjects (Mutiny SPI echo, relay); each fails loudly until it is on main. */
final class HandlerSubject {
    private HandlerSubject() {}

    static Future<?> echoServer(Vertx vertx, int port) {
        throw new UnsupportedOperationException("subject not landed: io.smcvertx.handlers echo is not on main yet");
    }

    static Future<?> relayServer(Vertx vertx, int port, String targetHost, int targetPort) {
        throw new UnsupportedOperationException("subject not landed: io.smcvertx.handlers relay is not on main yet");
    }
}
