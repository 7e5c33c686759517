package io.smcvertx.handlers.internal.builtin;

import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.ProtocolHandler;
import io.smcvertx.handlers.spi.ProtocolHandlerFactory;

/** {@code echo}: sends every byte back as it comes, at the pace the peer reads. No options. */
public final class EchoHandlerFactory implements ProtocolHandlerFactory {

    /** The handler's name. */
    public static final String NAME = "echo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProtocolHandler create(HandlerConfig config) {
        return (connection, input) -> input;
    }
}
