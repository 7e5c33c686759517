package io.smcvertx.vertx.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ServerChannel;
import java.util.Optional;

/**
 * Where the transport gets its TCP channels: SMC channels from smc-transport when the kernel has
 * them, plain epoll channels otherwise. The transport only wraps what this hands out.
 */
public interface ChannelSource {

    /** Factory of client channels (SMC ones when {@link #smc()}). */
    ChannelFactory<? extends Channel> client();

    /** Factory of listener channels (SMC ones when {@link #smc()}). */
    ChannelFactory<? extends ServerChannel> server();

    /** Whether the channels handed out are SMC sockets. */
    boolean smc();

    /** Whether this channel, made by one of the factories, is an SMC socket (checked once per channel). */
    default boolean isSmc(Channel channel) {
        return smc();
    }

    /** Why SMC sockets are not handed out, when they are not. */
    Optional<String> unavailabilityCause();
}
