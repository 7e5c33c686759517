package io.smcvertx.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smcvertx.handlers.bridge.ReadStreamPublisher;
import io.smcvertx.handlers.codec.FrameTooLargeException;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ConnectionPipeTest {

    /**
     * Servers and clients of the running test. The test methods return before their sockets are
     * done, and Vert.x 5 closes a NetServer or NetClient that nothing references any more.
     */
    private final List<Object> keep = new ArrayList<>();

    private static NetServer serve(Vertx vertx, ProtocolHandler handler, AtomicReference<ConnectionPipe> last) {
        return vertx.createNetServer()
                .connectHandler(s -> last.set(ConnectionPipe.bind(s, handler, ConnectionInfo.of(s))))
                .listen(0, "127.0.0.1").await();
    }

    @Test
    void echoesOverARealSocketAndReportsTheAddresses(Vertx vertx, VertxTestContext ctx) {
        AtomicReference<ConnectionPipe> pipe = new AtomicReference<>();
        NetServer server = serve(vertx, ProtocolHandlers.load().create(HandlerConfig.of("echo")), pipe);
        keep.add(server);
        NetClient client = vertx.createNetClient();
        keep.add(client);
        Connect.onLoop(vertx, client, server.actualPort(), ctx, socket -> {
            Buffer got = Buffer.buffer();
            socket.handler(b -> {
                got.appendBuffer(b);
                if (got.length() == 11) {
                    ctx.verify(() -> {
                        assertThat(got.toString()).isEqualTo("hello world");
                        assertThat(pipe.get().info().remoteAddress().port()).isEqualTo(socket.localAddress().port());
                        assertThat(pipe.get().info().smc()).isEmpty();
                    });
                    client.close();
                    ctx.completeNow();
                }
            });
            socket.write("hello ");
            socket.write("world");
        });
    }

    @Test
    void anOversizeFrameClosesThatConnectionOnlyAndIsLogged(Vertx vertx, VertxTestContext ctx) {
        AtomicReference<ConnectionPipe> pipe = new AtomicReference<>();
        ProtocolHandler kv = ProtocolHandlers.load().create(HandlerConfig.fromJson(
                new JsonObject().put("name", "kv").put("maxLineLength", 16), null));
        NetServer server = serve(vertx, kv, pipe);
        keep.add(server);
        NetClient client = vertx.createNetClient();
        keep.add(client);
        Checkpoint badClosed = ctx.checkpoint();
        Checkpoint goodServed = ctx.checkpoint();
        Connect.onLoop(vertx, client, server.actualPort(), ctx, bad -> {
            bad.closeHandler(v -> {
                ctx.verify(() -> assertThat(pipe.get().failure()).isInstanceOf(FrameTooLargeException.class)
                        .hasMessageContaining("`maxLineLength` (16 bytes)"));
                badClosed.flag();
                // the listener is still serving
                Connect.onLoop(vertx, client, server.actualPort(), ctx, good -> {
                    good.handler(b -> ctx.verify(() -> {
                        assertThat(b.toString()).isEqualTo("NOT_FOUND\n");
                        goodServed.flag();
                    }));
                    good.write("GET a\n");
                });
            });
            bad.write("SET k " + "v".repeat(40));
        });
    }

    @Test
    void aHandlerThatThrowsClosesTheConnection(Vertx vertx, VertxTestContext ctx) {
        AtomicReference<ConnectionPipe> pipe = new AtomicReference<>();
        NetServer server = serve(vertx, (info, in) -> {
            throw new IllegalStateException("boom");
        }, pipe);
        keep.add(server);
        NetClient client = vertx.createNetClient();
        keep.add(client);
        Connect.onLoop(vertx, client, server.actualPort(), ctx, socket -> socket.closeHandler(v -> {
            ctx.verify(() -> assertThat(pipe.get().failure()).hasMessage("boom"));
            client.close();
            ctx.completeNow();
        }));
    }

    @Test
    void theOutputCompletingEndsTheConnection(Vertx vertx, VertxTestContext ctx) {
        AtomicReference<ConnectionPipe> pipe = new AtomicReference<>();
        NetServer server = serve(vertx, (info, in) -> Multi.createFrom().items(Frame.ofUtf8("bye\n")), pipe);
        keep.add(server);
        NetClient client = vertx.createNetClient();
        keep.add(client);
        Connect.onLoop(vertx, client, server.actualPort(), ctx, socket -> {
            Buffer got = Buffer.buffer();
            socket.handler(got::appendBuffer);
            socket.closeHandler(v -> ctx.verify(() -> {
                assertThat(got.toString()).isEqualTo("bye\n");
                assertThat(pipe.get().failure()).isNull();
                client.close();
                ctx.completeNow();
            }));
        });
    }

    @Test
    void aPeerThatNeverReadsThenLeavesLeavesNoPendingWritesNorPausedReads(Vertx vertx, VertxTestContext ctx) {
        AtomicReference<ConnectionPipe> pipe = new AtomicReference<>();
        Frame chunk = Frame.of(new byte[64 * 1024]);
        // an endless output: only backpressure keeps it from filling the heap
        NetServer server = serve(vertx, (info, in) -> Multi.createBy().repeating().supplier(() -> chunk).indefinitely(), pipe);
        keep.add(server);
        NetClient client = vertx.createNetClient();
        keep.add(client);
        Connect.onLoop(vertx, client, server.actualPort(), ctx, socket -> {
            socket.pause(); // never reads
            long[] polls = {0};
            vertx.setPeriodic(20, id -> {
                ConnectionPipe p = pipe.get();
                // wait until the server is stuck on a full write queue, then leave
                if (p != null && p.pendingWrites() > 0 && ++polls[0] > 5) {
                    vertx.cancelTimer(id);
                    ctx.verify(() -> assertThat(p.maxBufferedBytes()).isLessThanOrEqualTo(2L << 20));
                    socket.close();
                    p.closed().onComplete(ctx.succeeding(v -> vertx.setTimer(1, t -> ctx.verify(() -> {
                        assertThat(p.pendingWrites()).as("pending writes after close").isZero();
                        assertThat(p.bufferedBytes()).isZero();
                        assertThat(p.isReadPausedForDemand()).isFalse();
                        client.close();
                        ctx.completeNow();
                    }))));
                }
            });
        });
    }

    @Test
    void theReadBridgeFetchesOnlyWhatIsRequestedAndResumesOnCancel(Vertx vertx, VertxTestContext ctx) {
        Promise<NetSocket> accepted = Promise.promise();
        AtomicReference<ReadStreamPublisher> bridge = new AtomicReference<>();
        AtomicReference<AssertSubscriber<Frame>> sub = new AtomicReference<>();
        NetServer server = vertx.createNetServer().connectHandler(s -> {
            ReadStreamPublisher p = new ReadStreamPublisher(s, Vertx.currentContext());
            bridge.set(p);
            sub.set(Multi.createFrom().publisher(p).subscribe().withSubscriber(AssertSubscriber.create(0)));
            accepted.complete(s);
        }).listen(0, "127.0.0.1").await();
        keep.add(server);
        NetClient client = vertx.createNetClient();
        keep.add(client);
        Connect.onLoop(vertx, client, server.actualPort(), ctx, socket -> accepted.future().onComplete(ctx.succeeding(s -> {
            socket.write("a");
            vertx.setTimer(100, t1 -> {
                ctx.verify(() -> {
                    assertThat(sub.get().getItems()).as("nothing delivered without demand").isEmpty();
                    assertThat(bridge.get().isPausedForDemand()).isTrue();
                });
                sub.get().request(1);
                vertx.setPeriodic(10, id -> {
                    if (sub.get().getItems().size() == 1) {
                        vertx.cancelTimer(id);
                        ctx.verify(() -> {
                            assertThat(sub.get().getItems()).containsExactly(Frame.ofUtf8("a"));
                            sub.get().cancel();
                            assertThat(bridge.get().isCancelled()).isTrue();
                            assertThat(bridge.get().isPausedForDemand()).as("not left paused after cancel").isFalse();
                        });
                        client.close();
                        ctx.completeNow();
                    }
                });
            });
        })));
    }
}
