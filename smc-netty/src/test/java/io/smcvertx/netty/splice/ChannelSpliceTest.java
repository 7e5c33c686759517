package io.smcvertx.netty.splice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.smcvertx.transport.SmcNativeException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A minimal proxy on plain Netty epoll: each accepted channel is connected to an upstream, both
 * are deregistered and {@link ChannelSplice} moves the bytes. The client and the upstream are
 * blocking JDK sockets on test threads, so what arrives is checked byte for byte.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChannelSpliceTest {

    /** A thread per blocking task: the common pool may have one worker on a 2-core machine. */
    private static final java.util.concurrent.Executor THREADS = r -> Thread.ofPlatform().daemon().start(r);

    private EventLoopGroup group;
    private ServerSocket upstream;
    private Channel listener;
    private final CompletableFuture<ChannelSplice> splice = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        assertThat(Epoll.isAvailable()).as("Netty's native epoll on the test class path").isTrue();
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        upstream = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        if (listener != null) {
            listener.close().sync();
        }
        upstream.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** The proxy: accept, connect upstream on the same loop, hand both to a splice with {@code owed} first. */
    private int proxy(String owedToUpstream) throws Exception {
        return proxy(owedToUpstream, false);
    }

    /** {@code copyUpstream}: bytes from upstream are read and written, as from an SMC socket. */
    private int proxy(String owedToUpstream, boolean copyUpstream) throws Exception {
        listener = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        Channel a = ctx.channel();
                        new Bootstrap().group(a.eventLoop()).channel(EpollSocketChannel.class)
                                .option(ChannelOption.AUTO_READ, false)
                                .handler(new ChannelInboundHandlerAdapter())
                                .connect(upstream.getLocalSocketAddress()).addListener(f -> {
                                    Channel b = ((io.netty.channel.ChannelFuture) f).channel();
                                    assertThat(ChannelSplice.canSplice(a, b)).isTrue();
                                    a.deregister().addListener(x -> b.deregister().addListener(y -> {
                                        List<ByteBuf> owed = owedToUpstream.isEmpty() ? List.of()
                                                : List.of(Unpooled.copiedBuffer(owedToUpstream, StandardCharsets.US_ASCII));
                                        int upFd = ((EpollSocketChannel) b).fd().intValue();
                                        splice.complete(ChannelSplice.start(a, b, owed, List.of(), fd -> copyUpstream && fd == upFd));
                                    }));
                                });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Test
    void aStreamBothWaysArrivesWholeAndInOrderAndBothEndsPassThrough() throws Exception {
        streamBothWays(proxy(""));
    }

    @Test
    void theSameWhenUpstreamsBytesAreCopiedAsFromAnSmcSocket() throws Exception {
        streamBothWays(proxy("", true));
    }

    private void streamBothWays(int port) throws Exception {
        byte[] sent = new byte[16 << 20];
        new Random(11).nextBytes(sent);
        // upstream: echo until the client's end, then end too
        CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
            try (Socket s = upstream.accept()) {
                s.getInputStream().transferTo(s.getOutputStream());
                s.shutdownOutput();
                s.getInputStream().read(); // wait for the proxy to close
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, THREADS);
        try (Socket client = new Socket("127.0.0.1", port)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    client.getOutputStream().write(sent);
                    client.shutdownOutput();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, THREADS);
            client.setSoTimeout(20_000);
            byte[] got;
            try {
                got = client.getInputStream().readAllBytes();
            } catch (java.io.IOException e) {
                ChannelSplice sp = splice.getNow(null);
                if (sp != null) {
                    sp.done().await(5, TimeUnit.SECONDS);
                }
                throw new AssertionError("the client's read failed; the splice: " + sp + ", " + (sp == null ? null : sp.done().cause()), e);
            }
            ChannelSplice sp = splice.get(10, TimeUnit.SECONDS);
            sp.done().await(10, TimeUnit.SECONDS);
            assertThat(got.length).as("bytes back; the splice: %s, %s", sp, sp.done().cause()).isEqualTo(sent.length);
            writer.get(30, TimeUnit.SECONDS);
            assertThat(Arrays.equals(got, sent)).as("%d bytes back of %d, in order", got.length, sent.length).isTrue();
        }
        ChannelSplice s = splice.get(10, TimeUnit.SECONDS);
        s.done().await(10, TimeUnit.SECONDS);
        assertThat(s.done().isSuccess()).as("ended cleanly: %s", s.done().cause()).isTrue();
        assertThat(s.bytesAToB()).isEqualTo(sent.length);
        assertThat(s.bytesWrittenToB()).isEqualTo(sent.length);
        assertThat(s.bytesBToA()).isEqualTo(sent.length);
        assertThat(s.bytesWrittenToA()).isEqualTo(sent.length);
        echo.get(10, TimeUnit.SECONDS);
    }

    /**
     * Both of upstream's directions closed (the client's end passed on, then upstream's own) while
     * megabytes it sent wait for a slow client: the hang-up is reported at every loop turn, and
     * upstream must still be read to its end once the client takes the bytes.
     */
    @Test
    void anUpstreamThatHungUpWithBytesStillQueuedIsReadToItsEnd() throws Exception {
        int port = proxy("");
        byte[] big = new byte[8 << 20];
        new Random(5).nextBytes(big);
        CompletableFuture<Void> up = CompletableFuture.runAsync(() -> {
            try (Socket s = upstream.accept()) {
                s.getInputStream().readAllBytes(); // the client's end, passed on
                s.getOutputStream().write(big);
                s.shutdownOutput();
                s.getInputStream().read();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, THREADS);
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(20_000);
            splice.get(10, TimeUnit.SECONDS); // this harness reads nothing itself before the splice
            client.getOutputStream().write('x');
            client.shutdownOutput();
            Thread.sleep(500); // slow: upstream has hung up before the client reads
            byte[] got = client.getInputStream().readAllBytes();
            assertThat(Arrays.equals(got, big)).as("%d of %d bytes; %s", got.length, big.length, splice.getNow(null)).isTrue();
        }
        up.get(10, TimeUnit.SECONDS);
    }

    @Test
    void bytesOwedToUpstreamGoFirstAndAnUpstreamResetClosesBoth() throws Exception {
        int port = proxy("owed:");
        try (Socket client = new Socket("127.0.0.1", port); Socket up = upstream.accept()) {
            client.getOutputStream().write("spliced".getBytes(StandardCharsets.US_ASCII));
            InputStream in = up.getInputStream();
            byte[] got = in.readNBytes("owed:spliced".length());
            assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("owed:spliced");
            up.setSoLinger(true, 0); // close with a reset
            up.close();
            assertThat(client.getInputStream().read()).as("the client's side closed too").isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            // the reset may reach the client as a reset rather than an end: closed either way
        }
        ChannelSplice s = splice.get(10, TimeUnit.SECONDS);
        s.done().await(10, TimeUnit.SECONDS);
        assertThat(s.done().isDone()).isTrue();
        assertThat(s.done().isSuccess()).as("a reset is a failure").isFalse();
    }

    @Test
    void withoutPipesNothingIsTouchedAndTheChannelsCarryOnWithoutASplice() throws Exception {
        Channel a = new Bootstrap().group(group).channel(EpollSocketChannel.class).handler(new ChannelInboundHandlerAdapter())
                .connect(upstream.getLocalSocketAddress()).sync().channel();
        Channel b = new Bootstrap().group(group).channel(EpollSocketChannel.class).handler(new ChannelInboundHandlerAdapter())
                .connect(upstream.getLocalSocketAddress()).sync().channel();
        try (Socket peerA = upstream.accept(); Socket peerB = upstream.accept()) {
            a.deregister().sync();
            b.deregister().sync();
            ByteBuf owed = Unpooled.copiedBuffer("owed", StandardCharsets.US_ASCII);
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            group.next().execute(() -> {
                try {
                    ChannelSplice.start(a, b, List.of(owed), List.of(), fd -> false, arena -> {
                        throw new SmcNativeException("pipe2", 24, "EMFILE", "Too many open files");
                    });
                    thrown.complete(null);
                } catch (Throwable t) {
                    thrown.complete(t);
                }
            });
            assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(SplicePipesException.class).hasMessageContaining("EMFILE");
            assertThat(a.isOpen() && b.isOpen()).as("both channels open").isTrue();
            assertThat(a.isRegistered() || b.isRegistered()).as("still deregistered").isFalse();
            assertThat(owed.refCnt()).as("the owed buffer is still the caller's").isEqualTo(1);
            // back on the loop, a channel works as before
            group.next().register(a).sync();
            a.writeAndFlush(owed).sync();
            assertThat(new String(peerA.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("owed");
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void onlyTwoEpollChannelsOfOneLoopCanBeSpliced() throws Exception {
        EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel e1 = new Bootstrap().group(group).channel(EpollSocketChannel.class).handler(new ChannelInboundHandlerAdapter())
                    .register().sync().channel();
            Channel n1 = new Bootstrap().group(nio).channel(NioSocketChannel.class).handler(new ChannelInboundHandlerAdapter())
                    .register().sync().channel();
            assertThat(ChannelSplice.canSplice(e1, n1)).isFalse();
            assertThat(ChannelSplice.canSplice(e1, e1)).isTrue();
            e1.close().sync();
            n1.close().sync();
            assertThat(ChannelSplice.canSplice(e1, e1)).as("closed").isFalse();
        } finally {
            nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
