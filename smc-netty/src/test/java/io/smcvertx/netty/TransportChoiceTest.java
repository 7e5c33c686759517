package io.smcvertx.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.Epoll;
import io.smcvertx.transport.SmcConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The epoll/NIO choice: native epoll where Netty has it, NIO elsewhere or when forced, never a
 * throw, always a reason that names the cause.
 */
class TransportChoiceTest {

    private static final Throwable NO_EPOLL = new UnsatisfiedLinkError("could not load netty_transport_native_epoll_s390_64");

    @AfterEach
    void clearProperty() {
        System.clearProperty(SmcChannels.TRANSPORT_PROPERTY);
    }

    @Test
    void epollWhereNettyHasIt() {
        TransportChoice c = TransportChoice.decide(null, null);
        assertThat(c.transport()).isEqualTo(SmcChannels.Transport.EPOLL);
        assertThat(c.reason()).isEqualTo("epoll: Netty native epoll is available");
    }

    @Test
    void nioWhereNettyHasNoEpollAndTheReasonCarriesTheCause() {
        TransportChoice c = TransportChoice.decide(null, NO_EPOLL);
        assertThat(c.transport()).isEqualTo(SmcChannels.Transport.NIO);
        assertThat(c.reason()).startsWith("NIO: Netty native epoll unavailable here (")
                .contains("UnsatisfiedLinkError").contains("netty_transport_native_epoll_s390_64");
    }

    @Test
    void thePropertyForcesNioEvenWhereEpollExists() {
        TransportChoice c = TransportChoice.decide("NIO", null);
        assertThat(c.transport()).isEqualTo(SmcChannels.Transport.NIO);
        assertThat(c.reason()).isEqualTo("NIO: forced by -Dio.smcvertx.netty.transport=nio");
    }

    @Test
    void forcingEpollWhereThereIsNoneGivesNioAndSaysSo() {
        TransportChoice c = TransportChoice.decide("epoll", NO_EPOLL);
        assertThat(c.transport()).isEqualTo(SmcChannels.Transport.NIO);
        assertThat(c.reason()).contains("=epoll asked for Netty native epoll, which is unavailable here").contains("s390_64");
        assertThat(TransportChoice.decide("epoll", null).reason()).isEqualTo("epoll: forced by -Dio.smcvertx.netty.transport=epoll");
    }

    @Test
    void aBadValueIsIgnoredAndNamedNeverThrown() {
        TransportChoice c = TransportChoice.decide("io_uring", null);
        assertThat(c.transport()).isEqualTo(SmcChannels.Transport.EPOLL);
        assertThat(c.reason()).contains("ignored -Dio.smcvertx.netty.transport=io_uring (must be epoll or nio)");
    }

    @Test
    void createFollowsTheChoiceOnThisHostAndTheProperty() {
        SmcChannels chosen = SmcChannels.create(SmcConfig.defaults());
        assertThat(chosen.transport()).isEqualTo(Epoll.isAvailable() ? SmcChannels.Transport.EPOLL : SmcChannels.Transport.NIO);
        assertThat(chosen.transportReason()).startsWith(Epoll.isAvailable() ? "epoll: " : "NIO: ");

        System.setProperty(SmcChannels.TRANSPORT_PROPERTY, "nio");
        SmcChannels forced = SmcChannels.create(SmcConfig.defaults());
        assertThat(forced.transport()).isEqualTo(SmcChannels.Transport.NIO);
        assertThat(forced.transportReason()).isEqualTo("NIO: forced by -Dio.smcvertx.netty.transport=nio");
        SmcNetty layer = SmcNetty.create(SmcPolicy.DEFAULT);
        assertThat(layer.transport()).isEqualTo(SmcChannels.Transport.NIO);
        assertThat(layer.transportReason()).isEqualTo(forced.transportReason());
        io.netty.channel.Channel ch = layer.socketChannelFactory().newChannel();
        try {
            assertThat(ch).isInstanceOf(io.netty.channel.socket.nio.NioSocketChannel.class);
        } finally {
            ch.unsafe().closeForcibly();
        }
    }
}
