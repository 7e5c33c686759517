package io.smcvertx.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.smcvertx.transport.SmcConfig;
import io.smcvertx.transport.SmcMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link SmcChannelOptions#pendingError}: the socket's pending error by the kernel's own SO_ERROR,
 * none on a fresh connection (both transports), and a reset a real peer sent (NIO, which leaves an
 * unread socket alone; a plain TCP socket stands in for the SMC one, whose ECONNABORTED only the
 * SMC-R link fault leg in the lab can produce).
 */
class SmcChannelOptionsTest {

    @ParameterizedTest
    @EnumSource(SmcChannels.Transport.class)
    void pendingErrorIsTheKernelsSoErrorAndReadingItClearsIt(SmcChannels.Transport transport) throws Exception {
        SmcChannels smc = transport == SmcChannels.Transport.EPOLL
                ? SmcChannels.epoll(SmcConfig.builder().mode(SmcMode.DISABLED).build())
                : SmcChannels.nio(SmcConfig.builder().mode(SmcMode.DISABLED).build());
        EventLoopGroup group = NettyIo.eventLoopGroup(transport, 1, null);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // no reads: the reset stays pending in the socket instead of reaching a read
            Channel ch = new Bootstrap().group(group).channelFactory(smc.socketChannelFactory())
                    .option(ChannelOption.AUTO_READ, false).handler(new ChannelInboundHandlerAdapter())
                    .connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort())).sync().channel();
            assertThat(SmcChannelOptions.pendingError(ch)).isEmpty();
            if (transport == SmcChannels.Transport.EPOLL) {
                // epoll reports EPOLLERR whatever the interest set, and Netty then closes the channel itself, racing
                // this test; the epoll route's real use (in the exception handler) is the lab's link fault leg
                ch.close().sync();
                return;
            }
            try (Socket peer = server.accept()) {
                peer.setSoLinger(true, 0); // close = RST
            }
            Optional<String> pending = Optional.empty();
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); pending.isEmpty() && System.nanoTime() < end; ) {
                pending = SmcChannelOptions.pendingError(ch);
                Thread.sleep(20);
            }
            assertThat(pending).contains("ECONNRESET (104, Connection reset by peer)");
            assertThat(SmcChannelOptions.pendingError(ch)).isEmpty();
            ch.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
