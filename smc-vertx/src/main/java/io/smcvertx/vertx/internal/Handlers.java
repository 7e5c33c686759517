package io.smcvertx.vertx.internal;

import io.smcvertx.handlers.ConnectionInfo;
import io.smcvertx.handlers.ConnectionPipe;
import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.ProtocolHandler;
import io.smcvertx.handlers.ProtocolHandlers;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.vertx.SmcConnections;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.util.Optional;
import java.util.Set;

/**
 * The handler binder over the handlers module: factories found with ServiceLoader, a TCP
 * handler bound to each socket with {@link ConnectionPipe}, an HTTP handler as a vert.x-web
 * router. A TCP handler gets its connection's SMC info: the socket stays paused until the
 * kernel's answer (one smc_diag lookup, off the event loop) or {@link #INFO_WAIT_MS} passes.
 */
public final class Handlers {

    /** How long a new connection waits for its SMC info before its handler starts without it. */
    public static final long INFO_WAIT_MS = 2_000;

    private Handlers() {
    }

    public static HandlerBinder binder() {
        return binder(ProtocolHandlers.load());
    }

    public static HandlerBinder binder(ProtocolHandlers handlers) {
        return new HandlerBinder() {
            @Override
            public Set<String> tcpNames() {
                return handlers.tcpNames();
            }

            @Override
            public Set<String> httpNames() {
                return handlers.httpNames();
            }

            @Override
            public Handler<NetSocket> tcp(Vertx vertx, JsonObject config, String path) {
                ProtocolHandler handler = named(path, () -> handlers.create(HandlerConfig.fromJson(config, vertx)));
                Optional<SmcConnections> smc = SmcConnections.find(vertx);
                return socket -> {
                    if (smc.isEmpty()) {
                        ConnectionPipe.bind(socket, handler, ConnectionInfo.of(socket));
                        return;
                    }
                    socket.pause();
                    java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
                    socket.closeHandler(v -> closed.set(true));
                    smc.get().info(socket)
                            .timeout(INFO_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
                            .onComplete(ar -> {
                                if (closed.get()) {
                                    return; // the peer left while the kernel was asked: nothing to bind
                                }
                                Optional<SmcConnectionInfo> info = ar.succeeded() ? smcInfo(ar.result()) : Optional.empty();
                                // no resume() afterwards: bind keeps the socket paused and reads only
                                // what the handler asks for, which is the whole point of backpressure
                                ConnectionPipe.bind(socket, handler, info.map(i -> ConnectionInfo.of(socket, i))
                                        .orElseGet(() -> ConnectionInfo.of(socket)));
                            });
                };
            }

            @Override
            public Handler<HttpServerRequest> http(Vertx vertx, JsonObject config, String path) {
                return named(path, () -> handlers.createRouter(HandlerConfig.fromJson(config, vertx)));
            }
        };
    }

    /** Checks every handler config by building it once on a throwaway Vert.x, before anything binds. */
    public static void validate(HandlerBinder binder, Vertx scratch, JsonObject config, boolean http, String path) {
        if (http) {
            binder.http(scratch, config, path);
        } else {
            binder.tcp(scratch, config, path);
        }
    }

    private static <T> T named(String path, java.util.function.Supplier<T> create) {
        try {
            return create.get();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            // the handlers module names fields as `handler.x`; put them under this listener's path
            throw new IllegalArgumentException(m.contains("`handler.") ? m.replace("`handler.", "`" + path + ".")
                    : "`" + path + "`: " + m, e);
        }
    }

    /** A handler gets the kernel's word on SMC sockets only; plain TCP and unknown stay empty (see {@code ConnectionInfo.smc}). */
    static Optional<SmcConnectionInfo> smcInfo(SmcConnectionInfo i) {
        return switch (i.mode()) {
            case SMCD, SMCR, FALLBACK_TCP -> Optional.of(i);
            case TCP, UNKNOWN -> Optional.empty();
        };
    }
}
