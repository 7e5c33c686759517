package io.smcvertx.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.smcvertx.transport.Smc;
import io.smcvertx.transport.SmcConfig;
import io.smcvertx.transport.SmcMode;
import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.SmcUnavailableException;
import io.smcvertx.transport.internal.ffm.Errno;
import io.smcvertx.transport.internal.ffm.LibC;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On a kernel without SMC: what each mode hands out, and that the descriptor replacement itself
 * (dup3 under an unregistered channel, family matched, options carried over) gives working Netty
 * channels, proved with a plain TCP socket standing in for the SMC one.
 */
class SmcChannelsTest {

    private static EventLoopGroup epollGroup;
    private static EventLoopGroup nioGroup;

    @BeforeAll
    static void groups() {
        // through the version shim, so that the Netty 4.1 flavour (vertx4/smc-netty41) runs this test too
        epollGroup = NettyIo.eventLoopGroup(SmcChannels.Transport.EPOLL, 2, null);
        nioGroup = NettyIo.eventLoopGroup(SmcChannels.Transport.NIO, 2, null);
    }

    @AfterAll
    static void shutdown() {
        epollGroup.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        nioGroup.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static void assumeNoSmc() {
        assumeFalse(Smc.isAvailable(), "this host test needs a kernel without SMC");
    }

    private static EventLoopGroup group(SmcChannels smc) {
        return smc.transport() == SmcChannels.Transport.EPOLL ? epollGroup : nioGroup;
    }

    private static SmcChannels channels(SmcChannels.Transport transport, SmcConfig config) {
        return transport == SmcChannels.Transport.EPOLL ? SmcChannels.epoll(config) : SmcChannels.nio(config);
    }

    @Test
    void createPicksEpollWhereNettyHasIt() {
        assertThat(SmcChannels.create(SmcConfig.defaults()).transport())
                .isEqualTo(Epoll.isAvailable() ? SmcChannels.Transport.EPOLL : SmcChannels.Transport.NIO);
    }

    @ParameterizedTest
    @EnumSource(SmcChannels.Transport.class)
    void preferredFallsBackToPlainSocketsAndSaysWhy(SmcChannels.Transport transport) throws Exception {
        assumeNoSmc();
        SmcChannels smc = channels(transport, SmcConfig.builder().mode(SmcMode.PREFERRED).build());

        assertThat(smc.usesSmc()).isFalse();
        assertThat(smc.plainCause()).get().isInstanceOf(SmcUnavailableException.class)
                .satisfies(c -> assertThat(c.getMessage()).contains("EAFNOSUPPORT (97)").contains("kernel has no SMC: "))
                .satisfies(c -> assertThat(c.getCause()).isInstanceOf(SmcNativeException.class));
        assertThat(smc.toString()).contains("plain because kernel has no SMC");

        for (InetAddress host : List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"))) {
            List<Channel> children = new CopyOnWriteArrayList<>();
            Channel server = Echo.server(group(smc), smc.serverChannelFactory(), host, null, children);
            try {
                Echo.Result r = Echo.stream(group(smc), smc.socketChannelFactory(), (InetSocketAddress) server.localAddress(),
                        4L << 20, 60);
                assertThat(r.bytes()).isEqualTo(4L << 20);
                assertThat(r.intact()).isTrue();
                assertThat(SmcChannels.isSmcSocket(r.client())).isFalse();
                assertThat(SmcChannels.isSmcSocket(server)).isFalse();
                assertThat(children).hasSize(1);
                assertThat(SmcChannels.isSmcSocket(children.get(0))).isFalse();
                r.client().close().sync();
            } finally {
                server.close().sync();
            }
        }
        assertThat(smc.smcChannelCount()).isZero();
        assertThat(smc.plainChannelCount()).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(SmcChannels.Transport.class)
    void requiredFailsChannelCreationWithTheCause(SmcChannels.Transport transport) {
        assumeNoSmc();
        SmcChannels smc = channels(transport, SmcConfig.builder().mode(SmcMode.REQUIRED).build());

        assertThat(smc.usesSmc()).isFalse();
        assertThatThrownBy(() -> smc.socketChannelFactory().newChannel())
                .isInstanceOf(SmcUnavailableException.class)
                .hasMessageContaining("SMC is required but unavailable")
                .hasMessageContaining("EAFNOSUPPORT (97)")
                .hasRootCauseInstanceOf(SmcNativeException.class);
        assertThatThrownBy(() -> smc.serverChannelFactory(StandardProtocolFamily.INET).newChannel())
                .isInstanceOf(SmcUnavailableException.class);
        // through a bootstrap the failure arrives as the connect future's cause
        var future = new Bootstrap().group(group(smc)).channelFactory(smc.socketChannelFactory())
                .handler(new ChannelInboundHandlerAdapter()).connect(new InetSocketAddress("127.0.0.1", 9)).awaitUninterruptibly();
        assertThat(future.cause()).isInstanceOf(SmcUnavailableException.class);
        assertThat(((SmcNativeException) future.cause().getCause().getCause()).errno()).isEqualTo(Errno.EAFNOSUPPORT);
    }

    @ParameterizedTest
    @EnumSource(SmcChannels.Transport.class)
    void disabledIsPlainWithoutACause(SmcChannels.Transport transport) throws Exception {
        SmcChannels smc = channels(transport, SmcConfig.builder().mode(SmcMode.DISABLED).build());
        assertThat(smc.usesSmc()).isFalse();
        assertThat(smc.plainCause()).isEmpty();
        SocketChannel ch = smc.socketChannelFactory().newChannel();
        try {
            assertThat(SmcChannels.isSmcSocket(ch)).isFalse();
        } finally {
            ch.unsafe().closeForcibly();
        }
    }

    @Test
    void rejectsFamiliesOtherThanInetAndInet6() {
        SmcChannels smc = SmcChannels.create(SmcConfig.defaults());
        assertThatThrownBy(() -> smc.socketChannelFactory(StandardProtocolFamily.UNIX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("`family` must be INET or INET6");
    }

    @Test
    void fastOpenOptionsAreFlaggedAsForcingAFallback() {
        assertThat(SmcChannels.isUnsafeForSmc(io.netty.channel.ChannelOption.TCP_FASTOPEN_CONNECT)).isTrue();
        assertThat(SmcChannels.isUnsafeForSmc(io.netty.channel.ChannelOption.TCP_FASTOPEN)).isTrue();
        assertThat(SmcChannels.isUnsafeForSmc(io.netty.channel.ChannelOption.TCP_NODELAY)).isFalse();
        assertThat(SmcChannels.isUnsafeForSmc(io.netty.channel.ChannelOption.SO_REUSEADDR)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(SmcChannels.Transport.class)
    void replaceWithTcpPutsANewTcpSocketUnderARegisteredListenerThatThenServes(SmcChannels.Transport transport) throws Exception {
        SmcChannels smc = channels(transport, SmcConfig.builder().mode(SmcMode.DISABLED).build());
        io.netty.channel.ServerChannel server = smc.newServerChannel(null);
        List<Channel> accepted = new CopyOnWriteArrayList<>();
        server.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                accepted.add((Channel) msg);
            }
        });
        group(smc).register(server).sync();
        long before = SmcChannels.inode(server);
        server.eventLoop().submit(() -> SmcChannels.replaceWithTcp(server)).get().sync();
        assertThat(server.isRegistered()).isTrue();
        assertThat(SmcChannels.inode(server)).as("a new socket under the same descriptor").isNotEqualTo(before);
        assertThat(SmcChannels.isSmcSocket(server)).isFalse();
        assertThat(LibC.getsockoptInt("getsockopt", fdOf(server), LibC.SOL_SOCKET, LibC.SO_REUSEADDR))
                .as("SO_REUSEADDR carried over").isNotZero();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        try (java.net.Socket client = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (accepted.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(accepted).as("the listener accepted the connection").hasSize(1);
            assertThat(SmcChannels.replaceWithTcp(server).await().cause()).hasMessageContaining("bound already");
        } finally {
            accepted.forEach(ch -> ch.unsafe().closeForcibly());
            server.close().sync();
        }
    }

    // ---- the replacement mechanics, with a plain TCP socket standing in for the SMC one ----

    /** Records every family it was asked for and hands out a plain TCP socket of that family. */
    private static final class PlainStandIn implements SmcDescriptors {
        final List<Integer> families = new ArrayList<>();
        final List<Long> inodes = new ArrayList<>();

        @Override
        public synchronized int open(int family) throws SmcNativeException {
            families.add(family);
            int fd = LibC.socket("socket(stand-in)", family, TYPE, 0);
            inodes.add(LibC.inode(fd));
            return fd;
        }
    }

    @ParameterizedTest
    @EnumSource(SmcChannels.Transport.class)
    void replacedDescriptorsCarryAWorkingConnectionInBothFamilies(SmcChannels.Transport transport) throws Exception {
        PlainStandIn standIn = new PlainStandIn();
        SmcChannels smc = new SmcChannels(SmcConfig.builder().mode(SmcMode.REQUIRED).build(), transport, standIn, null);
        assertThat(smc.usesSmc()).isTrue();

        for (StandardProtocolFamily family : List.of(StandardProtocolFamily.INET, StandardProtocolFamily.INET6)) {
            int expectedFamily = family == StandardProtocolFamily.INET ? LibC.AF_INET : LibC.AF_INET6;
            InetAddress host = InetAddress.getByName(family == StandardProtocolFamily.INET ? "127.0.0.1" : "::1");
            standIn.families.clear();
            standIn.inodes.clear();

            ServerSocketChannel listener = smc.newServerChannel(family);
            // the listener now sits on the stand-in socket, with SO_REUSEADDR as Netty set it
            assertThat(SmcChannels.inode(listener)).isEqualTo(standIn.inodes.get(0));
            assertThat(socketInodeFromProc(fdOf(listener))).isEqualTo(standIn.inodes.get(0));
            assertThat(LibC.getsockoptInt("t", fdOf(listener), LibC.SOL_SOCKET, LibC.SO_REUSEADDR)).isEqualTo(1);
            assertThat(listener.isActive()).isFalse();
            listener.unsafe().closeForcibly();

            Channel server = Echo.server(group(smc), smc.serverChannelFactory(family), host);
            try {
                SocketChannel probe = smc.newSocketChannel(family);
                try {
                    // unconnected and inactive, like a fresh channel: what TLS and Netty's connect rely on
                    assertThat(probe.isActive()).isFalse();
                    assertThat(LibC.getsockoptInt("t", fdOf(probe), LibC.SOL_TCP, LibC.TCP_NODELAY)).isEqualTo(1);
                    assertThat(SmcChannels.inode(probe)).isEqualTo(standIn.inodes.get(standIn.inodes.size() - 1));
                } finally {
                    probe.unsafe().closeForcibly();
                }
                Echo.Result r = Echo.stream(group(smc), smc.socketChannelFactory(family),
                        (InetSocketAddress) server.localAddress(), 2L << 20, 60);
                assertThat(r.intact()).isTrue();
                assertThat(r.bytes()).isEqualTo(2L << 20);
                assertThat(SmcChannels.inode(r.client())).isEqualTo(standIn.inodes.get(standIn.inodes.size() - 1));
                r.client().close().sync();
            } finally {
                server.close().sync();
            }
            assertThat(standIn.families).hasSize(4).containsOnly(expectedFamily);
        }
    }

    @ParameterizedTest
    @EnumSource(SmcChannels.Transport.class)
    void aFailedSocketCallLeavesPreferredChannelsPlainAndFailsRequiredOnes(SmcChannels.Transport transport) throws Exception {
        SmcDescriptors failing = family -> {
            throw Errno.exception("socket(AF_SMC, SMCPROTO_SMC6)", Errno.ENOMEM);
        };
        SmcChannels preferred = new SmcChannels(SmcConfig.defaults(), transport, failing, null);
        SocketChannel ch = preferred.newSocketChannel(null);
        try {
            assertThat(preferred.lastFallbackCause()).get().isInstanceOf(SmcNativeException.class)
                    .satisfies(e -> assertThat(((SmcNativeException) e).errnoName()).isEqualTo("ENOMEM"));
            assertThat(SmcChannels.isSmcSocket(ch)).isFalse();
            assertThat(ch.isOpen()).isTrue();
        } finally {
            ch.unsafe().closeForcibly();
        }

        SmcChannels required = new SmcChannels(SmcConfig.builder().mode(SmcMode.REQUIRED).build(), transport, failing, null);
        assertThatThrownBy(() -> required.newServerChannel(null))
                .isInstanceOf(SmcUnavailableException.class)
                .hasMessageContaining("no SMC socket could be made")
                .hasMessageContaining("ENOMEM");
    }

    private static int fdOf(Channel ch) {
        if (ch instanceof io.netty.channel.unix.UnixChannel u) {
            return u.fd().intValue();
        }
        if (ch instanceof SmcNioSocketChannel n) {
            return n.fd();
        }
        return ((SmcNioServerSocketChannel) ch).fd();
    }

    /** The inode as the kernel names the descriptor in /proc: "socket:[12345]". */
    private static long socketInodeFromProc(int fd) throws Exception {
        String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        assertThat(link).startsWith("socket:[");
        return Long.parseLong(link.substring("socket:[".length(), link.length() - 1));
    }
}
