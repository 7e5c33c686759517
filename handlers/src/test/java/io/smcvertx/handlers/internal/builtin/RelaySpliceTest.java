package io.smcvertx.handlers.internal.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ResourceLeakDetector;
import io.smcvertx.handlers.Connect;
import io.smcvertx.handlers.ConnectionInfo;
import io.smcvertx.handlers.ConnectionPipe;
import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.ProtocolHandlers;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.StreamChannelInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The relay's splice path: taken on Vert.x sockets (and not on others, which still relay through
 * the Frame SPI), and no buffer Netty read from the client left unreleased, whether written
 * upstream, queued when upstream leaves, or read while the upstream connection fails. Netty's
 * leak detector runs at PARANOID meanwhile (its reports land in the test log).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RelaySpliceTest {

    private static ResourceLeakDetector.Level before;
    private final List<Object> keep = new ArrayList<>();

    @BeforeAll
    static void paranoid() {
        before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @AfterAll
    static void restore() {
        ResourceLeakDetector.setLevel(before);
    }

    private static RelayHandler relay(Vertx vertx, int port) {
        return (RelayHandler) ProtocolHandlers.load().create(HandlerConfig.fromJson(
                new JsonObject().put("name", "relay").put("host", "127.0.0.1").put("port", port), vertx));
    }

    /**
     * Records every buffer Netty reads on the relay's client socket, before Vert.x sees it. The
     * channel reads into unpooled buffers here: a pooled buffer object is recycled once released
     * and would show the reference count of its next use.
     */
    private static void tap(NetSocket socket, ConcurrentLinkedQueue<ByteBuf> reads) {
        ChannelHandlerContext vertxHandler = ((StreamChannelInternal) socket).channelHandlerContext();
        vertxHandler.channel().config().setAllocator(new UnpooledByteBufAllocator(true));
        vertxHandler.pipeline().addBefore(vertxHandler.name(), "test-tap", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf b) {
                    reads.add(b);
                }
                ctx.fireChannelRead(msg);
            }
        });
    }

    /** An upstream that answers each read with its upper-case form. */
    private RelayHandler upperCaseRelay(Vertx vertx) {
        NetServer upstream = vertx.createNetServer().connectHandler(s -> s.handler(b -> s.write(b.toString().toUpperCase())))
                .listen(0, "127.0.0.1").await();
        keep.add(upstream);
        return relay(vertx, upstream.actualPort());
    }

    /** A client sends "hello" to {@code front} at once and must get "HELLO" back; then {@code check}. */
    private void helloComesBackUpperCase(Vertx vertx, NetServer front, VertxTestContext ctx, Runnable check) {
        keep.add(front);
        NetClient client = vertx.createNetClient();
        keep.add(client);
        Connect.onLoop(vertx, client, front.actualPort(), ctx, socket -> {
            Buffer got = Buffer.buffer();
            socket.handler(b -> {
                got.appendBuffer(b);
                if (got.length() == 5) {
                    ctx.verify(() -> {
                        assertThat(got.toString()).isEqualTo("HELLO");
                        check.run();
                    });
                    client.close();
                    ctx.completeNow();
                }
            });
            socket.write("hello");
        });
    }

    private NetServer front(Vertx vertx, RelayHandler relay, AtomicReference<ConnectionPipe> pipe,
            ConcurrentLinkedQueue<ByteBuf> reads) {
        NetServer s = vertx.createNetServer().connectHandler(sock -> {
            tap(sock, reads);
            pipe.set(ConnectionPipe.bind(sock, relay, ConnectionInfo.of(sock)));
        }).listen(0, "127.0.0.1").await();
        keep.add(s);
        return s;
    }

    @Test
    void aVertxSocketTakesTheSplicePathAndEveryBufferReadIsReleased(Vertx vertx, VertxTestContext ctx) {
        ConcurrentLinkedQueue<ByteBuf> reads = new ConcurrentLinkedQueue<>();
        Promise<Buffer> upstreamGot = Promise.promise();
        NetServer upstream = vertx.createNetServer().connectHandler(s -> {
            Buffer got = Buffer.buffer();
            s.handler(b -> {
                got.appendBuffer(b);
                if (got.length() == 5) {
                    upstreamGot.tryComplete(got);
                }
            });
        }).listen(0, "127.0.0.1").await();
        keep.add(upstream);
        RelayHandler relay = relay(vertx, upstream.actualPort());
        AtomicReference<ConnectionPipe> pipe = new AtomicReference<>();
        NetServer front = front(vertx, relay, pipe, reads);
        NetClient client = vertx.createNetClient();
        keep.add(client);
        Connect.onLoop(vertx, client, front.actualPort(), ctx, socket -> {
            socket.write("hello");
            upstreamGot.future().onComplete(ctx.succeeding(got -> ctx.verify(() -> {
                assertThat(got.toString()).isEqualTo("hello");
                assertThat(relay.splicedConnections()).as("connections on the splice path").isEqualTo(1);
                assertThat(pipe.get().bytesRead()).isEqualTo(5);
                assertThat(reads).isNotEmpty();
                client.close();
                ctx.completeNow();
            })));
        });
    }

    @Test
    void aSocketThatIsNotAVertxStreamChannelTakesTheFramePath(Vertx vertx, VertxTestContext ctx) {
        RelayHandler relay = upperCaseRelay(vertx);
        NetServer front = vertx.createNetServer().connectHandler(s -> {
            NetSocket plain = (NetSocket) Proxy.newProxyInstance(NetSocket.class.getClassLoader(),
                    new Class<?>[] {NetSocket.class}, (p, m, args) -> {
                        try {
                            return m.invoke(s, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            ConnectionPipe.bind(plain, relay, ConnectionInfo.of(s));
        }).listen(0, "127.0.0.1").await();
        helloComesBackUpperCase(vertx, front, ctx, () -> assertThat(relay.splicedConnections()).isZero());
    }

    @Test
    void anUpstreamThatStopsReadingThenLeavesReleasesEveryQueuedBuffer(Vertx vertx, VertxTestContext ctx) {
        ConcurrentLinkedQueue<ByteBuf> reads = new ConcurrentLinkedQueue<>();
        Promise<NetSocket> upstreamSide = Promise.promise();
        // upstream: never reads, so the relay's upstream writes fill up and the client's reads pause
        NetServer upstream = vertx.createNetServer().connectHandler(s -> {
            s.pause();
            upstreamSide.tryComplete(s);
        }).listen(0, "127.0.0.1").await();
        keep.add(upstream);
        RelayHandler relay = relay(vertx, upstream.actualPort());
        AtomicReference<ConnectionPipe> pipe = new AtomicReference<>();
        NetServer front = front(vertx, relay, pipe, reads);
        NetClient client = vertx.createNetClient();
        keep.add(client);
        Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
        Connect.onLoop(vertx, client, front.actualPort(), ctx, socket -> {
            long[] sent = {0};
            // write while the socket takes it, until the relay's client reads have stopped and the
            // relay has writes queued upstream (checked every 10 ms: a stalled socket never drains)
            vertx.setPeriodic(10, id -> {
                while (!socket.writeQueueFull() && sent[0] < (256L << 20)) {
                    socket.write(chunk);
                    sent[0] += chunk.length();
                }
                if (pipe.get() == null || !pipe.get().isReadPausedForDemand() || relay.upstreamPendingWrites() == 0) {
                    return;
                }
                vertx.cancelTimer(id);
                upstreamSide.future().onComplete(ctx.succeeding(up -> {
                    pipe.get().closed().onComplete(ctx.succeeding(v -> vertx.setTimer(200, t -> ctx.verify(() -> {
                        assertThat(relay.splicedConnections()).isEqualTo(1);
                        assertThat(reads).as("buffers read from the client").isNotEmpty();
                        assertThat(reads).as("every buffer read from the client released")
                                .allSatisfy(b -> assertThat(b.refCnt()).isZero());
                        assertThat(relay.openUpstreams()).isZero();
                        assertThat(pipe.get().isReadPausedForDemand()).isFalse();
                        client.close();
                        ctx.completeNow();
                    }))));
                    up.close(); // upstream leaves with the relay's writes queued: its end ends the client
                }));
            });
        });
    }

    @Test
    void anUnreachableUpstreamReleasesWhatTheClientSentAndClosesItWithTheReason(Vertx vertx, VertxTestContext ctx) {
        ConcurrentLinkedQueue<ByteBuf> reads = new ConcurrentLinkedQueue<>();
        NetServer gone = vertx.createNetServer().connectHandler(s -> { }).listen(0, "127.0.0.1").await();
        int port = gone.actualPort();
        gone.close().await();
        RelayHandler relay = relay(vertx, port);
        AtomicReference<ConnectionPipe> pipe = new AtomicReference<>();
        NetServer front = front(vertx, relay, pipe, reads);
        NetClient client = vertx.createNetClient();
        keep.add(client);
        Connect.onLoop(vertx, client, front.actualPort(), ctx, socket -> {
            socket.closeHandler(v -> pipe.get().closed().onComplete(ctx.succeeding(w -> vertx.setTimer(200, t -> ctx.verify(() -> {
                assertThat(pipe.get().failure()).isInstanceOf(ConnectException.class);
                assertThat(reads).allSatisfy(b -> assertThat(b.refCnt()).isZero());
                client.close();
                ctx.completeNow();
            })))));
            socket.write(Buffer.buffer(new byte[256 * 1024])); // arrives while the relay is connecting
        });
    }

    @Test
    void aSocketBoundAfterAnAsynchronousLookupRelaysWhatItReadMeanwhile(Vertx vertx, VertxTestContext ctx) {
        RelayHandler relay = upperCaseRelay(vertx);
        // as smc-vertx's listeners do while the kernel is asked for SMC info: pause, bind later; the
        // client's "hello" arrives meanwhile
        NetServer front = vertx.createNetServer().connectHandler(s -> {
            s.pause();
            vertx.setTimer(300, t -> ConnectionPipe.bind(s, relay, ConnectionInfo.of(s)));
        }).listen(0, "127.0.0.1").await();
        helloComesBackUpperCase(vertx, front, ctx, () -> assertThat(relay.splicedConnections()).isEqualTo(1));
    }
}
