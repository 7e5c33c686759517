package io.smcvertx.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.smcvertx.transport.Smc;
import io.smcvertx.transport.SmcCapabilities;
import io.smcvertx.transport.SmcConfig;
import io.smcvertx.transport.SmcMode;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.FallbackReason;
import io.smcvertx.transport.diag.SmcDiag;
import io.smcvertx.transport.diag.SmcSocketInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SMC channels against a kernel with SMC (the lab guest: Debian 6.12, smc.ko with loopback-ISM,
 * UEID SMCVERTX-LAB configured). Every verdict about a connection comes from smc_diag.
 * One class, so the slow guest starts one JVM for all of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SmcChannelsIT {

    /** Bytes streamed through each echo pair; sized for the emulated guest (see README). */
    static final long STREAM_BYTES = Long.getLong("smcvertx.it.streamBytes", 64L << 20);
    static final int CONNECTIONS = Integer.getInteger("smcvertx.it.connections", 1000);
    static final String LAB_UEID = "SMCVERTX-LAB";

    private EventLoopGroup group;
    private EventLoopGroup nioGroup;
    private SmcChannels smc;
    private SmcDiag diag;

    @BeforeAll
    void setUp() {
        LabKernel.requireSmc();
        smc = SmcChannels.epoll(SmcConfig.builder().mode(SmcMode.REQUIRED).build());
        group = new MultiThreadIoEventLoopGroup(2, smc.ioHandlerFactory());
        nioGroup = new MultiThreadIoEventLoopGroup(2, io.netty.channel.nio.NioIoHandler.newFactory());
        // a dump of thousands of sockets is slow in the emulated guest: bound it generously
        diag = SmcDiag.open(SmcDiag.DEFAULT_CACHE_TTL, Duration.ofMinutes(3));
    }

    @AfterAll
    void tearDown() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            nioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            diag.close();
        }
    }

    @Test
    void probeReportsAfSmcIpprotoSmcAndLoopbackIsm() {
        SmcCapabilities caps = Smc.capabilities();
        System.out.println("probe: " + caps);
        assertThat(Smc.isAvailable()).isTrue();
        assertThat(caps.afSmcUsable()).as(caps.afSmc().evidence()).isTrue();
        assertThat(caps.ipprotoSmcUsable()).as(caps.ipprotoSmc().evidence()).isTrue();
        assertThat(caps.loopbackIsm().state()).as(caps.loopbackIsm().evidence()).isEqualTo(SmcCapabilities.State.YES);
        assertThat(caps.smcdPresent()).isTrue();
        assertThat(caps.kernelRelease()).startsWith("6.12");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void echoStreamBetweenSmcServerAndClientRunsOverSmcdIntact(String host) throws Exception {
        Queue<Channel> children = new ConcurrentLinkedQueue<>();
        Channel server = Echo.server(group, smc.serverChannelFactory(), InetAddress.getByName(host), null, children);
        try {
            long t0 = System.nanoTime();
            Echo.Result r = Echo.stream(group, smc.socketChannelFactory(), (InetSocketAddress) server.localAddress(),
                    STREAM_BYTES, 480);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("echo %s: %d bytes in %d ms, crc32 sent %08x echoed %08x%n", host, r.bytes(), ms,
                    r.sentCrc(), r.echoedCrc());
            assertThat(r.bytes()).isEqualTo(STREAM_BYTES);
            assertThat(r.intact()).isTrue();
            Channel child = children.peek();
            assertThat(SmcChannels.isSmcSocket(r.client())).isTrue();
            assertThat(SmcChannels.isSmcSocket(child)).isTrue();
            assertBothSmcd(r.client(), child);
            r.client().close().sync();
        } finally {
            server.close().sync();
        }
    }

    @Test
    void nioChannelsAreSmcToo() throws Exception {
        SmcChannels nio = SmcChannels.nio(SmcConfig.builder().mode(SmcMode.REQUIRED).build());
        assertThat(nio.usesSmc()).as(String.valueOf(nio.plainCause())).isTrue();
        Queue<Channel> children = new ConcurrentLinkedQueue<>();
        Channel server = Echo.server(nioGroup, nio.serverChannelFactory(), InetAddress.getByName("127.0.0.1"), null, children);
        try {
            Echo.Result r = Echo.stream(nioGroup, nio.socketChannelFactory(), (InetSocketAddress) server.localAddress(),
                    4L << 20, 300);
            assertThat(r.intact()).isTrue();
            assertBothSmcd(r.client(), children.peek());
            r.client().close().sync();
        } finally {
            server.close().sync();
        }
    }

    /** The kernel's word on a connection: both ends looked up in one batch. */
    private SmcSocketInfo[] kernelView(Channel client, Channel child) throws Exception {
        var c = diag.lookup(SmcChannels.inode(client)).toCompletableFuture();
        var s = diag.lookup(SmcChannels.inode(child)).toCompletableFuture();
        SmcSocketInfo ci = c.get(3, TimeUnit.MINUTES).orElseThrow(() -> new AssertionError("client not in smc_diag"));
        SmcSocketInfo si = s.get(3, TimeUnit.MINUTES).orElseThrow(() -> new AssertionError("server child not in smc_diag"));
        System.out.println("smc_diag: client " + describe(ci) + "; server " + describe(si));
        return new SmcSocketInfo[] {ci, si};
    }

    private void assertBothSmcd(Channel client, Channel child) throws Exception {
        for (SmcSocketInfo end : kernelView(client, child)) {
            assertThat(end.mode()).as(describe(end)).isEqualTo(ConnectionMode.SMCD);
            assertThat(end.fallbackReason()).isEqualTo(FallbackReason.NONE);
            assertThat(end.smcd()).isPresent();
        }
    }

    private static String describe(SmcSocketInfo i) {
        return i.mode() + "/" + i.state() + " " + i.local() + "->" + i.peer() + " fallback " + i.fallbackReason()
                + " peer diagnosis " + i.peerDiagnosis();
    }

    @Test
    void aPlainPythonClientIsServedAndReportedAsPeerNoSmc() throws Exception {
        Queue<Channel> children = new ConcurrentLinkedQueue<>();
        Channel server = Echo.server(group, smc.serverChannelFactory(), InetAddress.getByName("127.0.0.1"), null, children);
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        try {
            String line = PythonEchoClient.run(port, () -> {
                SmcSocketInfo s = diag.lookup(SmcChannels.inode(children.peek())).toCompletableFuture()
                        .get(3, TimeUnit.MINUTES).orElseThrow();
                System.out.println("smc_diag: listener child of python client: " + describe(s));
                assertThat(s.mode()).isEqualTo(ConnectionMode.FALLBACK_TCP);
                assertThat(s.fallbackReason()).isEqualTo(FallbackReason.PEERNOSMC);
            });
            assertThat(line).isEqualTo("echoed 1048576 True");
        } finally {
            server.close().sync();
        }
    }

    @Test
    void withoutAUeidTheKernelDeclinesAndBothEndsSayWhy() throws Exception {
        Channel server = null;
        LabKernel.ueid("del", LAB_UEID);
        try {
            Queue<Channel> children = new ConcurrentLinkedQueue<>();
            server = Echo.server(group, smc.serverChannelFactory(), InetAddress.getByName("127.0.0.1"), null, children);
            Echo.Result r = Echo.stream(group, smc.socketChannelFactory(), (InetSocketAddress) server.localAddress(),
                    1 << 20, 300);
            assertThat(r.intact()).isTrue();
            SmcSocketInfo[] view = kernelView(r.client(), children.peek());
            List<SmcSocketInfo> ends = List.of(view);
            assertThat(ends).allSatisfy(e -> assertThat(e.mode()).isEqualTo(ConnectionMode.FALLBACK_TCP));
            // one end declined for want of a UEID, the other was declined and carries the peer's diagnosis
            assertThat(ends).anySatisfy(e -> assertThat(e.fallbackReason()).isEqualTo(FallbackReason.NOUEID));
            assertThat(ends).anySatisfy(e -> {
                assertThat(e.fallbackReason()).isEqualTo(FallbackReason.PEERDECL);
                assertThat(e.peerDiagnosis()).isEqualTo(FallbackReason.NOUEID);
            });
            r.client().close().sync();
        } finally {
            LabKernel.ueid("add", LAB_UEID);
            if (server != null) {
                server.close().sync();
            }
        }
    }

    @Test
    void tlsHandshakeCompletesOverSmcd() throws Exception {
        // a checked-in test key (see src/test/resources/tls/README.md): no second JVM in the guest
        char[] pass = "changeit".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = SmcChannelsIT.class.getResourceAsStream("/tls/lab-server.p12")) {
            assertThat(in).as("test key /tls/lab-server.p12 on the class path").isNotNull();
            ks.load(in, pass);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SslContext serverCtx = SslContextBuilder.forServer(kmf).sslProvider(SslProvider.JDK).build();
        SslContext clientCtx = SslContextBuilder.forClient().trustManager(tmf).sslProvider(SslProvider.JDK).build();

        Queue<Channel> children = new ConcurrentLinkedQueue<>();
        Channel server = Echo.server(group, smc.serverChannelFactory(), InetAddress.getByName("127.0.0.1"), ch -> {
            SslHandler h = serverCtx.newHandler(ch.alloc());
            h.setHandshakeTimeout(5, TimeUnit.MINUTES);
            return h;
        }, children);
        List<SslHandler> clientHandler = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            Echo.Result r = Echo.stream(group, smc.socketChannelFactory(), (InetSocketAddress) server.localAddress(),
                    256 << 10, ch -> {
                        SslHandler h = clientCtx.newHandler(ch.alloc(), "127.0.0.1", 0);
                        h.setHandshakeTimeout(5, TimeUnit.MINUTES);
                        clientHandler.add(h);
                        return h;
                    }, 480);
            SslHandler h = clientHandler.get(0);
            assertThat(h.handshakeFuture().isSuccess()).isTrue();
            System.out.printf("tls: %s %s, 256 KiB echoed in %d ms%n", h.engine().getSession().getProtocol(),
                    h.engine().getSession().getCipherSuite(), (System.nanoTime() - t0) / 1_000_000);
            assertThat(r.intact()).isTrue();
            assertBothSmcd(r.client(), children.peek());
            r.client().close().sync();
        } finally {
            server.close().sync();
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void aThousandConcurrentConnectionsAreServedAndReported() throws Exception {
        Queue<Channel> children = new ConcurrentLinkedQueue<>();
        Channel server = Echo.server(group, smc.serverChannelFactory(), InetAddress.getByName("127.0.0.1"), null, children);
        InetSocketAddress address = (InetSocketAddress) server.localAddress();
        List<Channel> clients = new ArrayList<>();
        List<CompletableFuture<Void>> echoed = new ArrayList<>();
        Semaphore inFlight = new Semaphore(64);
        long t0 = System.nanoTime();
        try {
            Bootstrap b = new Bootstrap().group(group).channelFactory(smc.socketChannelFactory())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Duration.ofMinutes(5).toMillis());
            for (int i = 0; i < CONNECTIONS; i++) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                byte[] message = ("hello " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                inFlight.acquire();
                ChannelFuture f = b.clone().handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                            private int got;

                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                ctx.writeAndFlush(Unpooled.wrappedBuffer(message));
                            }

                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                got += msg.readableBytes();
                                if (got >= message.length) {
                                    done.complete(null);
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                done.completeExceptionally(cause);
                            }
                        });
                    }
                }).connect(address);
                f.addListener(x -> {
                    inFlight.release();
                    if (!x.isSuccess()) {
                        done.completeExceptionally(x.cause());
                    }
                });
                clients.add(f.channel());
                echoed.add(done);
            }
            CompletableFuture.allOf(echoed.toArray(CompletableFuture[]::new)).get(12, TimeUnit.MINUTES);
            long connectedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(children).hasSize(CONNECTIONS);
            assertThat(clients).allMatch(Channel::isActive);

            long d0 = System.nanoTime();
            long dumpsBefore = diag.dumpCount();
            List<Channel> all = new ArrayList<>(clients);
            all.addAll(children);
            List<CompletableFuture<Optional<SmcSocketInfo>>> lookups = new ArrayList<>();
            for (Channel ch : all) {
                lookups.add(diag.lookup(SmcChannels.inode(ch)).toCompletableFuture());
            }
            CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            long dumps = diag.dumpCount() - dumpsBefore;
            List<String> notSmcd = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                Optional<SmcSocketInfo> info = lookups.get(i).join();
                if (info.isEmpty() || info.get().mode() != ConnectionMode.SMCD) {
                    notSmcd.add((i < clients.size() ? "client " : "server ") + all.get(i) + ": " + info.map(SmcChannelsIT::describe));
                }
            }
            System.out.printf("%d connections open and echoed in %d ms; %d lookups answered by %d smc_diag dump(s) in %d ms%n",
                    CONNECTIONS, connectedMs, lookups.size(), dumps, (System.nanoTime() - d0) / 1_000_000);
            assertThat(notSmcd).as("ends not reported SMCD").isEmpty();
            assertThat(dumps).as("lookups are batched").isLessThanOrEqualTo(3);
        } finally {
            for (Channel ch : clients) {
                ch.close();
            }
            server.close().sync();
        }
    }

}
