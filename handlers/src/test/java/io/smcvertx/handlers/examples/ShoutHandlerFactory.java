package io.smcvertx.handlers.examples;

// <custom-handler>
import io.smallrye.mutiny.Uni;
import io.smcvertx.handlers.Frame;
import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.ProtocolHandler;
import io.smcvertx.handlers.codec.Framing;
import io.smcvertx.handlers.spi.ProtocolHandlerFactory;

/** {@code shout}: answers each line with the line in upper case and the connection's SMC mode. */
public final class ShoutHandlerFactory implements ProtocolHandlerFactory {

    @Override
    public String name() {
        return "shout";
    }

    @Override
    public ProtocolHandler create(HandlerConfig config) {
        int maxLineLength = config.getInt("maxLineLength", 1024, 1, 1 << 20);
        String prefix = config.getString("prefix", "");
        return ProtocolHandler.requestResponse(Framing.lines(maxLineLength), (connection, line) -> {
            String via = connection.smc().map(smc -> smc.mode().name()).orElse("TCP");
            return Uni.createFrom().item(Frame.ofUtf8(prefix + line.toUtf8().toUpperCase() + " via " + via));
        });
    }
}
// </custom-handler>
