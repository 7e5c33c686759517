package io.smcvertx.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.netty.SmcNettyTesting;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.SmcMode;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.transport.diag.SmcSocketInfo;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The registry's decisions, driven by a stand-in for smc_diag that answers "fallback 0x03010000"
 * for every socket (this host has no SMC; the lab ITs check the same against the real kernel).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RequiredPolicyTest {

    /** Answers FALLBACK_TCP / 0x03010000 and remembers which inodes it was asked about. */
    static final class FallbackDiag {
        final Set<Long> asked = ConcurrentHashMap.newKeySet();

        CompletionStage<Optional<SmcSocketInfo>> lookup(long inode) {
            asked.add(inode);
            return CompletableFuture.supplyAsync(() -> Optional.of(SmcNettyTesting.fallback(inode, 0x03010000)));
        }
    }

    private Vertx vertx;
    /* the test's server and client, held for the whole test (the tests reach them only through future
       callbacks otherwise): Vert.x 5 closes an unreachable NetClient (CleanableNetClient, a Cleaner) with
       its connections when the GC runs; a listening server is held by its context's close hook anyway */
    private NetServer server;
    private NetClient client;

    private Vertx vertx(SmcPolicy policy, FallbackDiag diag) {
        vertx = Vertx.builder().withTransport(SmcTransport.create(SmcNettyTesting.declaredSmc(policy, diag::lookup))).build();
        return vertx;
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void requiredClosesConnectionsTheKernelLeftOnTcpAndCountsWhy(VertxTestContext ctx) {
        FallbackDiag diag = new FallbackDiag();
        Vertx v = vertx(SmcPolicy.of(SmcMode.REQUIRED), diag);
        Checkpoint clientClosed = ctx.checkpoint();
        server = v.createNetServer().connectHandler(s -> s.handler(s::write));
        client = v.createNetClient();
        // the close handler is set in the connect callback on the event loop, before the
        // socket's first event: a test thread setting it could come after the close itself
        server.listen(0, "127.0.0.1")
                .compose(listening -> client.connect(listening.actualPort(), "127.0.0.1")
                        .onSuccess(socket -> socket.closeHandler(x -> ctx.verify(() -> {
                            SmcConnections c = SmcConnections.of(v);
                            assertThat(c.requiredClosedByReason()).containsKey("0x03010000");
                            assertThat(c.fallbacksByReason().get("0x03010000")).isGreaterThanOrEqualTo(1L);
                            assertThat(diag.asked).isNotEmpty();
                            clientClosed.flag();
                        }))))
                .onFailure(ctx::failNow);
    }

    @Test
    void preferredKeepsThemAndReportsTheReason(VertxTestContext ctx) {
        FallbackDiag diag = new FallbackDiag();
        Vertx v = vertx(SmcPolicy.DEFAULT, diag);
        client = v.createNetClient();
        server = v.createNetServer().connectHandler(s -> SmcConnections.of(v).info(s).onComplete(ctx.succeeding(info -> ctx.verify(() -> {
                    assertThat(info.mode()).isEqualTo(ConnectionMode.FALLBACK_TCP);
                    assertThat(info.fallbackReasonHex()).isEqualTo("0x03010000");
                    assertThat(info.logLine()).contains("FALLBACK_TCP reason 0x03010000 (PEERNOSMC)");
                    assertThat(s.writeQueueFull()).isFalse();
                    assertThat(SmcConnections.of(v).requiredClosedByReason()).isEmpty();
                    ctx.completeNow();
                }))));
        server.listen(0, "127.0.0.1")
                .compose(listening -> client.connect(listening.actualPort(), "127.0.0.1"))
                .onComplete(ctx.succeeding(socket -> { }));
    }

    @Test
    void destinationRuleToTcpIsAppliedBeforeConnectAndNotedAsPolicy(VertxTestContext ctx) {
        FallbackDiag diag = new FallbackDiag();
        SmcPolicy policy = SmcPolicy.builder().mode(SmcMode.REQUIRED).destination("127.0.0.0/8", 0, SmcPolicy.Use.TCP).build();
        Vertx v = vertx(policy, diag);
        server = v.createNetServer().connectHandler(s -> s.handler(s::write));
        client = v.createNetClient();
        server.listen(0, "127.0.0.1")
                .compose(listening -> client.connect(listening.actualPort(), "127.0.0.1"))
                .compose(socket -> SmcConnections.of(v).info(socket))
                .onComplete(ctx.succeeding(info -> ctx.verify(() -> {
                    // the client leg was sent to TCP by policy: REQUIRED must not close it
                    assertThat(info.side()).isEqualTo(SmcConnectionInfo.Side.CLIENT);
                    assertThat(info.mode()).isEqualTo(ConnectionMode.FALLBACK_TCP);
                    ctx.completeNow();
                })));
    }

    @Test
    void aListenerRuledTcpGetsAPlainTcpSocketAndItsConnectionsAreNotAskedAbout(VertxTestContext ctx) {
        SmcPolicy policy = SmcPolicy.builder().listener("127.0.0.1", 0, SmcPolicy.Use.TCP).build();
        FallbackDiag diag = new FallbackDiag();
        Vertx v = vertx(policy, diag);
        SmcConnections smc = SmcConnections.of(v);
        server = v.createNetServer().connectHandler(s -> s.handler(s::write)).listen(0, "127.0.0.1").await();
        String bound = "127.0.0.1:" + server.actualPort();
        assertThat(smc.listeners()).containsEntry(bound, "TCP (listener rule)");
        client = v.createNetClient();
        client.connect(server.actualPort(), "127.0.0.1").onComplete(ctx.succeeding(socket -> {
            String me = "127.0.0.1:" + socket.localAddress().port();
            socket.handler(echoed -> ctx.verify(() -> {
                assertThat(echoed.toString()).isEqualTo("ping");
                SmcConnectionInfo accepted = smc.open().stream()
                        .filter(c -> c.side() == SmcConnectionInfo.Side.SERVER && c.remote().equals(me)).findFirst().orElseThrow();
                // REQUIRED would close FALLBACK_TCP; a listener the policy put on TCP is plain TCP by choice
                assertThat(accepted.mode()).as(accepted.logLine()).isEqualTo(ConnectionMode.TCP);
                assertThat(accepted.logLine()).contains("policy: plain TCP");
                server.close();
                client.close();
                ctx.completeNow();
            }));
            socket.write("ping");
        }));
    }
}
