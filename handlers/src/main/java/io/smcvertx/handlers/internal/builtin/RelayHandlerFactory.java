package io.smcvertx.handlers.internal.builtin;

import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.ProtocolHandler;
import io.smcvertx.handlers.spi.ProtocolHandlerFactory;
import io.vertx.core.net.NetClientOptions;

/**
 * {@code relay}: connects each accepted connection to {@code host}:{@code port} with a NetClient
 * of the node's Vert.x and copies bytes both ways with backpressure. When the node's Vert.x runs
 * on the SMC transport the upstream leg is SMC, so a plain TCP client reaches an SMC service.
 *
 * <p>Options: {@code host} and {@code port} (required), {@code connectTimeoutMs} (default 10000),
 * {@code splice}: {@code kernel} (the default: where both sockets are native epoll sockets with
 * nothing but Vert.x in their pipelines, the bytes move in the kernel, never through the JVM heap)
 * or {@code buffers} (Netty's read buffers are handed from one socket to the other without a
 * copy; what the relay does anyway where the kernel splice cannot be used).
 */
public final class RelayHandlerFactory implements ProtocolHandlerFactory {

    /** The handler's name. */
    public static final String NAME = "relay";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProtocolHandler create(HandlerConfig config) {
        String host = config.requireString("host");
        int port = config.requireInt("port", 1, 65_535);
        int connectTimeoutMs = config.getInt("connectTimeoutMs", 10_000, 1, 600_000);
        String splice = config.getString("splice", "kernel");
        if (!splice.equals("kernel") && !splice.equals("buffers")) {
            throw new IllegalArgumentException("handler `relay` option `splice` must be `kernel` or `buffers`, got: " + splice);
        }
        var client = config.requireVertx().createNetClient(new NetClientOptions().setConnectTimeout(connectTimeoutMs));
        return new RelayHandler(client, host, port, splice.equals("kernel"));
    }
}
