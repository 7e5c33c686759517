package io.smcvertx.transport.diag;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.Ueid;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The smc_diag reader against the lab kernel: modes, reasons, batching, and the connect check. */
class SmcDiagIT {

    private static final SmcKernel KERNEL = SmcKernel.netlink(Duration.ofSeconds(60));

    @BeforeAll
    static void kernelSmc() {
        SmcLabSockets.requireKernelSmc();
    }

    @Test
    void smcdWithUeidAndNoueidWithout() throws Exception {
        SmcLabSockets.withUeids(KERNEL, List.of(Ueid.of("SMCVERTX-DIAG-IT")), () -> {
            try (SmcLabSockets.Pair p = new SmcLabSockets.Pair().connect(true, 65536);
                 SmcDiag diag = SmcDiag.open(Duration.ofMillis(100), Duration.ofSeconds(60))) {
                SmcSocketInfo c = diag.lookup(p.clientInode()).toCompletableFuture().get(2, TimeUnit.MINUTES).orElseThrow();
                SmcSocketInfo s = diag.lookup(p.acceptedInode()).toCompletableFuture().get(2, TimeUnit.MINUTES).orElseThrow();
                assertThat(c.mode()).isEqualTo(ConnectionMode.SMCD);
                assertThat(s.mode()).isEqualTo(ConnectionMode.SMCD);
                assertThat(c.smcd()).isPresent();
                assertThat(c.peer().getPort()).isEqualTo(p.port);
                assertThat(s.rmbeSize()).isGreaterThan(0);
            }
        });
        SmcLabSockets.withUeids(KERNEL, List.of(), () -> {
            try (SmcLabSockets.Pair p = new SmcLabSockets.Pair().connect(true, 4096);
                 SmcDiag diag = SmcDiag.open()) {
                SmcSocketInfo c = diag.lookup(p.clientInode()).toCompletableFuture().get(2, TimeUnit.MINUTES).orElseThrow();
                SmcSocketInfo s = diag.lookup(p.acceptedInode()).toCompletableFuture().get(2, TimeUnit.MINUTES).orElseThrow();
                assertThat(s.mode()).isEqualTo(ConnectionMode.FALLBACK_TCP);
                assertThat(s.fallbackReason()).isEqualTo(FallbackReason.NOUEID);
                assertThat(c.fallbackReason()).isEqualTo(FallbackReason.PEERDECL);
                assertThat(c.peerDiagnosis()).isEqualTo(FallbackReason.NOUEID);
            }
        });
    }

    @Test
    void plainTcpClientIsPeerNoSmcOnTheListenerSide() throws Exception {
        try (SmcLabSockets.Pair p = new SmcLabSockets.Pair().connect(false, 4096); SmcDiag diag = SmcDiag.open()) {
            SmcSocketInfo s = diag.lookup(p.acceptedInode()).toCompletableFuture().get(2, TimeUnit.MINUTES).orElseThrow();
            assertThat(s.mode()).isEqualTo(ConnectionMode.FALLBACK_TCP);
            assertThat(s.fallbackReason().code()).isEqualTo(0x03010000);
        }
    }

    @Test
    void manyLookupsShareDumps() throws Exception {
        try (SmcLabSockets.Pair p = new SmcLabSockets.Pair().connect(true, 0);
             SmcDiag diag = SmcDiag.open(Duration.ofSeconds(5), Duration.ofSeconds(60))) {
            long inode = p.clientInode();
            List<CompletableFuture<Optional<SmcSocketInfo>>> all = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                all.add(diag.lookup(inode).toCompletableFuture());
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            assertThat(all).allSatisfy(f -> assertThat(f.get()).isPresent());
            assertThat(diag.dumpCount()).isBetween(1L, 3L);
            assertThat(diag.lookup(123456789L).toCompletableFuture().get(2, TimeUnit.MINUTES)).isEmpty();
        }
    }

    @Test
    void connectCheckReportsTheClientEnd() throws Exception {
        try (SmcLabSockets.Pair p = new SmcLabSockets.Pair()) {
            CompletableFuture<Integer> acc = CompletableFuture.supplyAsync(() -> {
                try {
                    return io.smcvertx.transport.internal.ffm.LibC.accept4(p.listenFd, 0);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            SmcSocketInfo c = SmcConnectCheck.check(new InetSocketAddress(InetAddress.getLoopbackAddress(), p.port),
                    Duration.ofSeconds(60));
            io.smcvertx.transport.internal.ffm.LibC.closeQuietly(acc.get(1, TimeUnit.MINUTES));
            assertThat(c.peer().getPort()).isEqualTo(p.port);
            assertThat(c.mode()).isIn(ConnectionMode.SMCD, ConnectionMode.FALLBACK_TCP);
            if (!KERNEL.ueids().isEmpty()) {
                assertThat(c.mode()).isEqualTo(ConnectionMode.SMCD);
            }
        }
    }
}
