package io.smcvertx.handlers.example;

import io.smallrye.mutiny.Uni;
import io.smcvertx.handlers.Frame;
import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.ProtocolHandler;
import io.smcvertx.handlers.codec.Framing;
import io.smcvertx.handlers.spi.ProtocolHandlerFactory;

/** {@code reverse}: answers each line with the line reversed. Option: {@code maxLineLength} (256). */
public final class ReverseHandlerFactory implements ProtocolHandlerFactory {

    @Override
    public String name() {
        return "reverse";
    }

    @Override
    public ProtocolHandler create(HandlerConfig config) {
        int maxLineLength = config.getInt("maxLineLength", 256, 1, 1 << 16);
        return ProtocolHandler.requestResponse(Framing.lines(maxLineLength),
                (connection, line) -> Uni.createFrom().item(Frame.ofUtf8(new StringBuilder(line.toUtf8()).reverse().toString())));
    }
}
