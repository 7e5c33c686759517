package io.smcvertx.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.FallbackReason;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.transport.diag.SmcDiag;
import io.smcvertx.transport.diag.SmcSocketInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Plain Netty over the SMC layer, no Vert.x, against the lab kernel, on both Netty transports:
 * native epoll, and JDK NIO forced on amd64 (the route s390x takes, where Netty has no epoll).
 * Every verdict is the kernel's: the tracker's answers come from smc_diag, and each end is looked
 * up again here with a reader of our own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class NettyLayerIT {

    private SmcDiag diag;

    @BeforeAll
    void setUp() {
        LabKernel.requireSmc();
        diag = SmcDiag.open(SmcDiag.DEFAULT_CACHE_TTL, Duration.ofMinutes(3));
    }

    @AfterAll
    void tearDown() {
        if (diag != null) {
            diag.close();
        }
    }

    private static SmcConnectionInfo tracked(SmcNetty smc, Channel ch) throws Exception {
        return smc.tracker().info(ch).toCompletableFuture().get(3, TimeUnit.MINUTES);
    }

    private SmcSocketInfo kernel(Channel ch) throws Exception {
        return diag.lookup(SmcChannels.inode(ch)).toCompletableFuture().get(3, TimeUnit.MINUTES)
                .orElseThrow(() -> new AssertionError(ch + " is not in smc_diag"));
    }

    private static String describe(SmcSocketInfo i) {
        return i.mode() + "/" + i.state() + " " + i.local() + "->" + i.peer() + " fallback " + i.fallbackReason();
    }

    @ParameterizedTest
    @EnumSource(SmcChannels.Transport.class)
    void echoServerAndClientAreSmcdAtBothEnds(SmcChannels.Transport transport) throws Exception {
        SmcNetty smc = SmcNetty.create(SmcPolicy.DEFAULT, transport);
        System.out.println("layer: " + smc);
        assertThat(smc.smcSockets()).as(String.valueOf(smc.smcUnavailabilityCause())).isTrue();
        EventLoopGroup group = smc.newEventLoopGroup(2);
        Queue<Channel> children = new ConcurrentLinkedQueue<>();
        Channel server = Echo.server(group, smc.serverChannelFactory(), InetAddress.getByName("127.0.0.1"), null, children);
        try {
            Echo.Result r = Echo.stream(group, smc.socketChannelFactory(), (InetSocketAddress) server.localAddress(), 4L << 20, 300);
            assertThat(r.intact()).isTrue();
            Channel child = children.peek();
            SmcConnectionInfo client = tracked(smc, r.client());
            SmcConnectionInfo accepted = tracked(smc, child);
            System.out.println(transport + ": tracker: " + client.logLine() + " | " + accepted.logLine());
            assertThat(client.mode()).as(client.logLine()).isEqualTo(ConnectionMode.SMCD);
            assertThat(accepted.mode()).as(accepted.logLine()).isEqualTo(ConnectionMode.SMCD);
            for (Channel end : new Channel[] {r.client(), child}) {
                SmcSocketInfo k = kernel(end);
                System.out.println(transport + ": smc_diag: " + describe(k));
                assertThat(k.mode()).as(describe(k)).isEqualTo(ConnectionMode.SMCD);
                assertThat(k.smcd()).isPresent();
            }
            assertThat(smc.tracker().openByMode()).containsEntry(ConnectionMode.SMCD, 2L);
            assertThat(smc.tracker().listeners()).containsEntry(Addresses.hostPort(server.localAddress()), "SMC");
            r.client().close().sync();
        } finally {
            server.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(SmcChannels.Transport.class)
    void aPlainPythonClientIsServedAndCountedAsAFallbackWithPeerNoSmc(SmcChannels.Transport transport) throws Exception {
        SmcNetty smc = SmcNetty.create(SmcPolicy.DEFAULT, transport);
        EventLoopGroup group = smc.newEventLoopGroup(2);
        Queue<Channel> children = new ConcurrentLinkedQueue<>();
        Channel server = Echo.server(group, smc.serverChannelFactory(), InetAddress.getByName("127.0.0.1"), null, children);
        try {
            String echoed = PythonEchoClient.run(((InetSocketAddress) server.localAddress()).getPort(), () -> {
                Channel child = children.peek();
                SmcConnectionInfo accepted = tracked(smc, child);
                SmcSocketInfo k = kernel(child);
                System.out.println(transport + ": python client: tracker " + accepted.logLine() + " | smc_diag " + describe(k));
                assertThat(accepted.mode()).isEqualTo(ConnectionMode.FALLBACK_TCP);
                assertThat(accepted.fallbackReasonHex()).isEqualTo("0x03010000");
                assertThat(k.fallbackReason()).isEqualTo(FallbackReason.PEERNOSMC);
            });
            assertThat(echoed).isEqualTo("echoed 1048576 True");
            assertThat(smc.tracker().fallbacksByReason()).containsEntry("0x03010000", 1L);
            assertThat(smc.tracker().classifiedByMode()).containsEntry(ConnectionMode.FALLBACK_TCP, 1L);
        } finally {
            server.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(SmcChannels.Transport.class)
    void listenerAndDestinationRulesTcpWorkOnEitherTransport(SmcChannels.Transport transport) throws Exception {
        // two listeners of one layer: the first ruled TCP, the second SMC; the client is sent to
        // TCP for the second by a destination rule on its port
        int tcpPort = transport == SmcChannels.Transport.EPOLL ? 18581 : 18591;
        int ruledDestination = tcpPort + 1;
        SmcPolicy policy = SmcPolicy.builder()
                .listener("127.0.0.1", tcpPort, SmcPolicy.Use.TCP)
                .destination("127.0.0.1/32", ruledDestination, SmcPolicy.Use.TCP)
                .build();
        SmcNetty smc = SmcNetty.create(policy, transport);
        EventLoopGroup group = smc.newEventLoopGroup(2);
        Queue<Channel> ruledChildren = new ConcurrentLinkedQueue<>();
        Queue<Channel> smcChildren = new ConcurrentLinkedQueue<>();
        Channel ruled = bind(group, smc, tcpPort, ruledChildren);
        Channel other = bind(group, smc, ruledDestination, smcChildren);
        try {
            assertThat(SmcChannels.isSmcSocket(ruled)).as("the ruled listener is a plain TCP socket").isFalse();
            assertThat(SmcChannels.isSmcSocket(other)).isTrue();
            assertThat(smc.tracker().listeners()).containsEntry("127.0.0.1:" + tcpPort, "TCP (listener rule)")
                    .containsEntry("127.0.0.1:" + ruledDestination, "SMC");

            // an SMC client to the TCP listener: served; the kernel says the client fell back, PEERNOSMC
            Echo.Result r = Echo.stream(group, smc.socketChannelFactory(), (InetSocketAddress) ruled.localAddress(), 1 << 20, 300);
            assertThat(r.intact()).isTrue();
            SmcConnectionInfo client = tracked(smc, r.client());
            SmcConnectionInfo accepted = tracked(smc, ruledChildren.peek());
            System.out.println(transport + ": listener rule: " + client.logLine() + " | " + accepted.logLine());
            assertThat(client.mode()).isEqualTo(ConnectionMode.FALLBACK_TCP);
            assertThat(kernel(r.client()).fallbackReason()).isEqualTo(FallbackReason.PEERNOSMC);
            assertThat(accepted.mode()).isEqualTo(ConnectionMode.TCP);
            assertThat(accepted.note()).isEqualTo("policy: plain TCP");
            assertThat(PythonEchoClient.run(tcpPort, () -> { })).as("a plain client on the TCP listener").isEqualTo("echoed 1048576 True");
            r.client().close().sync();

            // a client the destination rule sends to TCP: OPTUNSUPP by the kernel's word, noted as policy
            Echo.Result d = Echo.stream(group, smc.socketChannelFactory(), (InetSocketAddress) other.localAddress(), 1 << 20, 300);
            assertThat(d.intact()).isTrue();
            SmcConnectionInfo forced = tracked(smc, d.client());
            System.out.println(transport + ": destination rule: " + forced.logLine());
            assertThat(forced.mode()).isEqualTo(ConnectionMode.FALLBACK_TCP);
            assertThat(forced.fallbackReasonHex()).isEqualTo("0x03060000");
            assertThat(forced.note()).isEqualTo("policy: plain TCP");
            assertThat(kernel(d.client()).fallbackReason().code()).isEqualTo(SmcConnectionTracker.DECLINE_OPTUNSUPP);
            d.client().close().sync();
        } finally {
            ruled.close().sync();
            other.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static Channel bind(EventLoopGroup group, SmcNetty smc, int port, Queue<Channel> children) throws Exception {
        return new io.netty.bootstrap.ServerBootstrap().group(group).channelFactory(smc.serverChannelFactory())
                .childHandler(new io.netty.channel.ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        children.add(ch);
                        ch.pipeline().addLast(new Echo.EchoHandler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
    }
}
