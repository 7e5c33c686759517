package io.smcvertx.vertx.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ServerChannel;
import io.vertx.core.spi.transport.Transport;
import java.util.Optional;

/** Vert.x's own epoll TCP channels, with the reason SMC ones are not used. */
public record PlainChannelSource(Transport epoll, String cause) implements ChannelSource {

    @Override
    public ChannelFactory<? extends Channel> client() {
        return epoll.channelFactory(false);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> server() {
        return epoll.serverChannelFactory(false);
    }

    @Override
    public boolean smc() {
        return false;
    }

    @Override
    public Optional<String> unavailabilityCause() {
        return Optional.of(cause);
    }
}
