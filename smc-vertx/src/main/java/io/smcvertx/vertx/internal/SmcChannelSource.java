package io.smcvertx.vertx.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ServerChannel;
import io.smcvertx.transport.SmcMode;
import io.smcvertx.transport.netty.SmcChannels;
import java.io.IOException;
import java.util.Optional;

/** smc-transport's SMC epoll channels. */
public record SmcChannelSource(SmcChannels channels) implements ChannelSource {

    @Override
    public ChannelFactory<? extends Channel> client() {
        return channels.socketChannelFactory();
    }

    @Override
    public ChannelFactory<? extends ServerChannel> server() {
        return channels.serverChannelFactory();
    }

    @Override
    public boolean smc() {
        return channels.usesSmc();
    }

    @Override
    public boolean isSmc(Channel channel) {
        if (!channels.usesSmc()) {
            return false;
        }
        try {
            // PREFERRED mode may hand out a plain channel when one SMC socket cannot be made
            return SmcChannels.isSmcSocket(channel);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public Optional<String> unavailabilityCause() {
        if (channels.usesSmc()) {
            return Optional.empty();
        }
        if (channels.config().mode() == SmcMode.DISABLED) {
            return Optional.of("SMC disabled by policy (mode DISABLED)");
        }
        return Optional.of(channels.plainCause().map(t -> t.getMessage() == null ? t.toString() : t.getMessage())
                .orElse("SMC channels unavailable"));
    }
}
