package io.smcvertx.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.smcvertx.transport.SmcMode;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo.Side;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.transport.diag.SmcSocketInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The layer with real loopback channels on this host (no SMC in the kernel): the policy's
 * listener and destination rules, tracking of both ends, fast-open stripping, and the NIO route.
 * Channels are plain epoll channels declared SMC, answered by a stand-in for smc_diag
 * ({@link SmcNettyTesting}); the lab ITs check the same against the kernel.
 */
class SmcNettyTest {

    private EventLoopGroup group;

    @AfterEach
    void shutdown() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Answers every lookup with a fallback for {@code reason}, and remembers which inodes were asked. */
    static final class Answers implements LongFunction<CompletionStage<Optional<SmcSocketInfo>>> {
        final int reason;
        final Set<Long> asked = ConcurrentHashMap.newKeySet();

        Answers(int reason) {
            this.reason = reason;
        }

        @Override
        public CompletionStage<Optional<SmcSocketInfo>> apply(long inode) {
            asked.add(inode);
            return CompletableFuture.supplyAsync(() -> Optional.of(SmcNettyTesting.fallback(inode, reason)));
        }
    }

    private Channel echoServer(SmcNetty smc, String host, Queue<Channel> children) throws Exception {
        return Echo.server(group, smc.serverChannelFactory(), InetAddress.getByName(host), null, children);
    }

    private Echo.Result echo(SmcNetty smc, Channel server) throws Exception {
        return Echo.stream(group, smc.socketChannelFactory(), (InetSocketAddress) server.localAddress(), 256 << 10, 60);
    }

    private static SmcConnectionInfo info(SmcNetty smc, Channel ch) throws Exception {
        return smc.tracker().info(ch).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void bothEndsAreTrackedWithTheKernelsWordAndFoundByTheirAddresses() throws Exception {
        Answers kernel = new Answers(0x03010000);
        SmcNetty smc = SmcNettyTesting.declaredSmc(SmcPolicy.DEFAULT, kernel);
        group = smc.newEventLoopGroup(2);
        Queue<Channel> children = new ConcurrentLinkedQueue<>();
        Channel server = echoServer(smc, "127.0.0.1", children);
        try {
            Echo.Result r = echo(smc, server);
            assertThat(r.intact()).isTrue();
            Channel child = children.peek();
            SmcConnectionInfo client = info(smc, r.client());
            SmcConnectionInfo accepted = info(smc, child);
            assertThat(client.side()).isEqualTo(Side.CLIENT);
            assertThat(client.mode()).isEqualTo(ConnectionMode.FALLBACK_TCP);
            assertThat(client.remote()).isEqualTo(Addresses.hostPort(server.localAddress()));
            assertThat(accepted.side()).isEqualTo(Side.SERVER);
            assertThat(accepted.remote()).isEqualTo(client.local());
            assertThat(smc.tracker().find((InetSocketAddress) child.localAddress(), (InetSocketAddress) child.remoteAddress()))
                    .contains(child);
            assertThat(smc.tracker().listeners()).containsEntry(Addresses.hostPort(server.localAddress()), "SMC");
            assertThat(smc.tracker().fallbacksByReason()).isEqualTo(Map.of("0x03010000", 2L));
            assertThat(kernel.asked).hasSize(2);
            r.client().close().sync();
            await().atMost(Duration.ofSeconds(30)).until(() -> smc.tracker().openCount() == 0);
        } finally {
            server.close().sync();
        }
        assertThat(smc.tracker().listeners()).isEmpty();
    }

    @Test
    void aDestinationRuleTcpIsAppliedBeforeConnectAndRequiredSparesThatEnd() throws Exception {
        Answers kernel = new Answers(SmcConnectionTracker.DECLINE_OPTUNSUPP);
        SmcPolicy policy = SmcPolicy.builder().mode(SmcMode.REQUIRED).destination("127.0.0.0/8", 0, SmcPolicy.Use.TCP).build();
        SmcNetty smc = SmcNettyTesting.declaredSmc(policy, kernel);
        group = smc.newEventLoopGroup(2);
        Queue<Channel> children = new ConcurrentLinkedQueue<>();
        Channel server = echoServer(smc, "127.0.0.1", children);
        try {
            // half-closure allowed: when REQUIRED closes the accepted end, this end stays open to be asked about
            Channel ch = new Bootstrap().group(group).channelFactory(smc.socketChannelFactory())
                    .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .handler(new ChannelInboundHandlerAdapter()).connect(server.localAddress()).sync().channel();
            SmcConnectionInfo client = info(smc, ch);
            assertThat(client.note()).isEqualTo("policy: plain TCP");
            assertThat(ch.pipeline().get(ClientObserver.NAME)).as("nothing of ours on the data path").isNull();
            // the accepted end was not sent to TCP by our policy: REQUIRED closes it (and so the
            // client sees its peer leave); the client end, sent to TCP by the rule, is not counted
            await().atMost(Duration.ofSeconds(30)).until(() -> children.peek() != null && !children.peek().isOpen());
            assertThat(smc.tracker().requiredClosedByReason()).as("only the accepted end").isEqualTo(Map.of("0x03060000", 1L));
            assertThat(smc.tracker().fallbacksByReason()).isEqualTo(Map.of("0x03060000", 2L));
        } finally {
            server.close().sync();
        }
    }

    @Test
    void aListenerRuleTcpGetsAPlainSocketAndItsConnectionsAreNotAskedAbout() throws Exception {
        Answers kernel = new Answers(0x03010000);
        SmcPolicy policy = SmcPolicy.builder().listener("127.0.0.1", 0, SmcPolicy.Use.TCP).build();
        SmcNetty smc = SmcNettyTesting.declaredSmc(policy, kernel);
        group = smc.newEventLoopGroup(2);
        Queue<Channel> children = new ConcurrentLinkedQueue<>();
        Channel server = echoServer(smc, "127.0.0.1", children);
        try {
            assertThat(smc.tracker().listeners()).containsEntry(Addresses.hostPort(server.localAddress()), "TCP (listener rule)");
            Echo.Result r = echo(smc, server);
            SmcConnectionInfo accepted = info(smc, children.peek());
            assertThat(accepted.mode()).isEqualTo(ConnectionMode.TCP);
            assertThat(accepted.note()).isEqualTo("policy: plain TCP");
            assertThat(kernel.asked).as("only the client end was asked about").hasSize(1)
                    .containsExactly(SmcChannels.inode(r.client()));
            r.client().close().sync();
        } finally {
            server.close().sync();
        }
    }

    @Test
    @SuppressWarnings("deprecation") // EpollChannelOption's own TCP_FASTOPEN_CONNECT: the by-name match must catch it too
    void fastOpenOptionsAreStrippedFromSmcBootstrapsOnly() {
        SmcNetty smc = SmcNettyTesting.declaredSmc(SmcPolicy.DEFAULT, new Answers(0));
        Bootstrap client = new Bootstrap().option(ChannelOption.TCP_FASTOPEN_CONNECT, true).option(ChannelOption.TCP_NODELAY, true);
        ServerBootstrap server = new ServerBootstrap().option(ChannelOption.TCP_FASTOPEN, 16).option(ChannelOption.SO_BACKLOG, 64)
                .childOption(EpollChannelOption.TCP_FASTOPEN_CONNECT, true);
        smc.stripFastOpen(client);
        smc.stripFastOpen(server);
        assertThat(client.config().options()).containsOnlyKeys(ChannelOption.TCP_NODELAY);
        assertThat(server.config().options()).containsOnlyKeys(ChannelOption.SO_BACKLOG);
        assertThat(server.config().childOptions()).isEmpty();

        SmcNetty plain = SmcNetty.create(SmcPolicy.of(SmcMode.DISABLED));
        Bootstrap kept = plain.stripFastOpen(new Bootstrap().option(ChannelOption.TCP_FASTOPEN_CONNECT, true));
        assertThat(kept.config().options()).containsKey(ChannelOption.TCP_FASTOPEN_CONNECT);
    }

    @Test
    void theNioRouteServesAndTracksOnThisHost() throws Exception {
        SmcNetty smc = SmcNetty.create(SmcPolicy.DEFAULT, SmcChannels.Transport.NIO);
        assertThat(smc.transport()).isEqualTo(SmcChannels.Transport.NIO);
        assertThat(smc.transportReason()).isEqualTo("NIO: chosen by the caller");
        group = smc.newEventLoopGroup(2);
        Queue<Channel> children = new ConcurrentLinkedQueue<>();
        for (String host : List.of("127.0.0.1", "::1")) {
            Channel server = echoServer(smc, host, children);
            try {
                Echo.Result r = echo(smc, server);
                assertThat(r.intact()).isTrue();
                SmcConnectionInfo client = info(smc, r.client());
                assertThat(client.mode()).isEqualTo(smc.smcSockets() ? ConnectionMode.SMCD : ConnectionMode.TCP);
                if (!smc.smcSockets()) {
                    assertThat(client.note()).startsWith("SMC unavailable: ");
                }
                r.client().close().sync();
            } finally {
                server.close().sync();
            }
        }
    }
}
