package io.smcvertx.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramChannel;
import io.smcvertx.netty.SmcChannels;
import io.smcvertx.netty.SmcNetty;
import io.smcvertx.netty.SmcNettyTesting;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.SmcMode;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.transport.diag.SmcSocketInfo;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * Reactor Netty on the layer, on a host without SMC: plain epoll channels declared SMC and a
 * stand-in for smc_diag ({@link SmcNettyTesting}), so what runs is the wiring (every TCP channel
 * made by the layer, both ends tracked, each request's connection found). The kernel's part is
 * {@code ReactorNettyOverSmcIT}'s, in the lab.
 */
class SmcLoopResourcesTest {

    private static final Duration WAIT = Duration.ofMinutes(1);

    private static LongFunction<CompletionStage<Optional<SmcSocketInfo>>> kernelSays(LongFunction<SmcSocketInfo> answer) {
        return inode -> CompletableFuture.completedFuture(Optional.of(answer.apply(inode)));
    }

    private static DisposableServer modeServer(SmcLoopResources loops) {
        return HttpServer.create().runOn(loops).host("127.0.0.1").port(0)
                .handle((req, res) -> res.sendString(loops.info(req).map(SmcConnectionInfo::logLine)))
                .bindNow(WAIT);
    }

    @Test
    void serverAndClientChannelsComeFromTheLayerAndBothEndsAreTracked() {
        SmcLoopResources loops = SmcLoopResources.create(SmcNettyTesting.declaredSmc(SmcPolicy.DEFAULT, kernelSays(SmcNettyTesting::smcd)), 1, 2);
        DisposableServer server = modeServer(loops);
        try {
            assertThat(loops.smc().tracker().listeners()).containsEntry("127.0.0.1:" + server.port(), "SMC");
            String answer = HttpClient.create().runOn(loops).get().uri("http://127.0.0.1:" + server.port() + "/x")
                    .responseContent().aggregate().asString().block(WAIT);
            assertThat(answer).startsWith("accepted 127.0.0.1:" + server.port() + " <- 127.0.0.1:").endsWith(": SMCD");
            List<Channel> toServer = loops.smc().tracker().channelsTo(new InetSocketAddress("127.0.0.1", server.port()));
            assertThat(toServer).as("the HttpClient's pooled connection, made by the layer").hasSize(1);
            SmcConnectionInfo client = loops.smc().tracker().info(toServer.get(0)).toCompletableFuture().join();
            assertThat(client.side()).isEqualTo(SmcConnectionInfo.Side.CLIENT);
            assertThat(answer).endsWith("<- " + client.local() + ": SMCD");
            assertThat(loops.smc().tracker().classifiedByMode()).containsEntry(ConnectionMode.SMCD, 2L);
        } finally {
            server.disposeNow(WAIT);
            loops.disposeLater().block(WAIT);
        }
        assertThat(loops.isDisposed()).isTrue();
        assertThat(loops.onServer(true).isTerminated()).isTrue();
        assertThat(loops.onServerSelect(true).isTerminated()).isTrue();
    }

    @Test
    void aClientThatOffersNoSmcIsServedAndItsRequestSeesTheFallbackReason() throws Exception {
        SmcLoopResources loops = SmcLoopResources.create(SmcNettyTesting.declaredSmc(SmcPolicy.DEFAULT,
                kernelSays(inode -> SmcNettyTesting.fallback(inode, 0x03010000))), 1, 1);
        DisposableServer server = modeServer(loops);
        try (Socket plain = new Socket("127.0.0.1", server.port())) {   // HTTP/1.1 by hand, not made by the layer
            plain.setSoTimeout((int) WAIT.toMillis());
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = new String(plain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200").endsWith(": FALLBACK_TCP reason 0x03010000 (PEERNOSMC)");
            assertThat(loops.smc().tracker().fallbacksByReason()).containsEntry("0x03010000", 1L);
        } finally {
            server.disposeNow(WAIT);
            loops.disposeLater().block(WAIT);
        }
    }

    @Test
    void requiredOnAHostWithoutSmcFailsTheBindAndSaysWhy() {
        SmcNetty smc = SmcNetty.create(SmcPolicy.of(SmcMode.REQUIRED));
        SmcLoopResources loops = SmcLoopResources.create(smc, 1, 1);
        try {
            if (smc.smcSockets()) {
                return; // a kernel with SMC: REQUIRED binds; the lab IT covers that
            }
            assertThatThrownBy(() -> HttpServer.create().runOn(loops).host("127.0.0.1").port(0).bindNow(WAIT))
                    .hasStackTraceContaining("EAFNOSUPPORT");
        } finally {
            loops.disposeLater().block(WAIT);
        }
    }

    @Test
    void otherChannelTypesAreReactorNettysDefaultsAndCarryNoSmcSocket() throws Exception {
        SmcLoopResources loops = SmcLoopResources.create(SmcNetty.create(SmcPolicy.DEFAULT), 1, 1);
        try {
            DatagramChannel dns = loops.onChannel(DatagramChannel.class, loops.onClient(true));
            assertThat(dns).isNotNull();
            loops.onClient(true).register(dns).sync();
            assertThat(SmcChannels.isSmcSocket(dns)).isFalse();
            dns.close().sync();
        } finally {
            loops.disposeLater().block(WAIT);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        SmcNetty smc = SmcNetty.create(SmcPolicy.of(SmcMode.DISABLED));
        assertThatThrownBy(() -> SmcLoopResources.create(null)).hasMessage("`smc` must not be null");
        assertThatThrownBy(() -> SmcLoopResources.create(smc, 0, 1)).hasMessage("`selectThreads` must be at least 1, got: 0");
        assertThatThrownBy(() -> SmcLoopResources.create(smc, 1, -2)).hasMessage("`workerThreads` must be at least 1, got: -2");
    }
}
