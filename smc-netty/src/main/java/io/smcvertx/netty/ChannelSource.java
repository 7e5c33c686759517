package io.smcvertx.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.smcvertx.transport.SmcMode;
import java.io.IOException;
import java.util.Optional;

/**
 * Where {@link SmcNetty} gets its channels: {@link SmcChannels} in production; the test-jar's
 * stand-ins declare plain channels SMC so the policy and tracker paths run on a host without SMC.
 */
interface ChannelSource {

    /** Factory of client channels (SMC ones when {@link #smc()}). */
    ChannelFactory<? extends SocketChannel> client();

    /** Factory of listener channels (SMC ones when {@link #smc()}). */
    ChannelFactory<? extends ServerSocketChannel> server();

    /** Whether the channels handed out are SMC sockets. */
    boolean smc();

    /** Whether this channel, made by one of the factories, is an SMC socket (checked once per channel). */
    default boolean isSmc(Channel channel) {
        return smc();
    }

    /** Why SMC sockets are not handed out, when they are not. */
    Optional<String> unavailabilityCause();

    /** The Netty transport of the channels. */
    SmcChannels.Transport transport();

    /** Why that transport. */
    String transportReason();

    /** The production source. */
    static ChannelSource of(SmcChannels channels) {
        return new ChannelSource() {
            @Override
            public ChannelFactory<? extends SocketChannel> client() {
                return channels.socketChannelFactory();
            }

            @Override
            public ChannelFactory<? extends ServerSocketChannel> server() {
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

            @Override
            public SmcChannels.Transport transport() {
                return channels.transport();
            }

            @Override
            public String transportReason() {
                return channels.transportReason();
            }
        };
    }
}
