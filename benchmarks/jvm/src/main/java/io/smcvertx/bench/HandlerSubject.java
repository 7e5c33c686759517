package io.smcvertx.bench;

import io.smcvertx.handlers.ConnectionInfo;
import io.smcvertx.handlers.ConnectionPipe;
import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.ProtocolHandler;
import io.smcvertx.handlers.ProtocolHandlers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The handlers module's subjects, bound exactly as a node binds them: the factory is found by
 * name through ServiceLoader and every accepted socket goes through {@link ConnectionPipe}
 * (the Vert.x-to-Mutiny bridge with backpressure).
 */
final class HandlerSubject {
    private HandlerSubject() {}

    static Future<?> echoServer(Vertx vertx, int port) {
        return serve(vertx, port, new JsonObject().put(HandlerConfig.NAME_KEY, "echo"));
    }

    static Future<?> relayServer(Vertx vertx, int port, String targetHost, int targetPort) {
        // the kernel splice is opt-in (handlers/README.md); a baseline's handlers ignore the option
        return serve(vertx, port, new JsonObject().put(HandlerConfig.NAME_KEY, "relay")
                .put("host", targetHost).put("port", targetPort).put("splice", "kernel"));
    }

    private static Future<?> serve(Vertx vertx, int port, JsonObject handlerJson) {
        ProtocolHandler handler = ProtocolHandlers.load().create(HandlerConfig.fromJson(handlerJson, vertx));
        return vertx.createNetServer()
                .connectHandler(socket -> ConnectionPipe.bind(socket, handler, ConnectionInfo.of(socket)))
                .listen(port, "127.0.0.1");
    }
}
