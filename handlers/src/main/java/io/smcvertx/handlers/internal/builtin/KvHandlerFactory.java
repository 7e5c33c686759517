package io.smcvertx.handlers.internal.builtin;

import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.ProtocolHandler;
import io.smcvertx.handlers.codec.Framing;
import io.smcvertx.handlers.spi.ProtocolHandlerFactory;

/**
 * {@code kv}: a tiny line-based key-value store ({@code SET k v}, {@code GET k}, {@code DEL k}),
 * the request/response example of the SPI. One store per listener, shared by its connections.
 *
 * <p>Options: {@code maxLineLength} (default 1024), {@code maxKeys} (default 10000).
 */
public final class KvHandlerFactory implements ProtocolHandlerFactory {

    /** The handler's name. */
    public static final String NAME = "kv";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProtocolHandler create(HandlerConfig config) {
        int maxLineLength = config.getInt("maxLineLength", 1024, 8, 1 << 20);
        int maxKeys = config.getInt("maxKeys", 10_000, 1, 10_000_000);
        return ProtocolHandler.requestResponse(Framing.lines(maxLineLength), new KvStore(maxKeys));
    }
}
