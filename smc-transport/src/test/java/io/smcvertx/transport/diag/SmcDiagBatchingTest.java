package io.smcvertx.transport.diag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.transport.internal.netlink.Fixtures;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Lookups share dumps; the dumper here serves the captured kernel dump and counts calls. */
class SmcDiagBatchingTest {

    private final List<SmcSocketInfo> captured;

    SmcDiagBatchingTest() throws Exception {
        captured = SmcDiagCodec.decodeAll(Fixtures.reply("diag_smcd", true, Fixtures::plain));
    }

    @Test
    void thousandConcurrentLookupsCostFewDumps() throws Exception {
        AtomicInteger dumps = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> dumpThread = new AtomicReference<>();
        SmcDiag.Dumper slow = t -> {
            dumps.incrementAndGet();
            dumpThread.set(Thread.currentThread().getName());
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return captured;
        };
        long inode = Fixtures.number("diag_smcd", "client_inode");
        try (SmcDiag diag = new SmcDiag(Duration.ofMillis(100), Duration.ofSeconds(5), slow, System::nanoTime)) {
            List<CompletableFuture<Optional<SmcSocketInfo>>> all = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                all.add(diag.lookup(i % 2 == 0 ? inode : 424242L).toCompletableFuture());
            }
            release.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(dumps.get()).isBetween(1, 2);
            assertThat(dumpThread.get()).isEqualTo("smc-diag").isNotEqualTo(Thread.currentThread().getName());
            for (int i = 0; i < 1000; i++) {
                Optional<SmcSocketInfo> r = all.get(i).get();
                if (i % 2 == 0) {
                    assertThat(r).get().extracting(SmcSocketInfo::mode).isEqualTo(ConnectionMode.SMCD);
                } else {
                    assertThat(r).isEmpty();
                }
            }
        }
    }

    @Test
    void freshCacheAnswersHitsWithoutDumpingAndStaleCacheDumpsAgain() throws Exception {
        AtomicInteger dumps = new AtomicInteger();
        AtomicLong now = new AtomicLong(1_000_000_000L);
        SmcDiag.Dumper counting = t -> {
            dumps.incrementAndGet();
            return captured;
        };
        long inode = Fixtures.number("diag_smcd", "accepted_inode");
        try (SmcDiag diag = new SmcDiag(Duration.ofMillis(100), Duration.ofSeconds(5), counting, now::get)) {
            assertThat(diag.lookup(inode).toCompletableFuture().get(5, TimeUnit.SECONDS)).isPresent();
            assertThat(diag.lookup(inode).toCompletableFuture().get(5, TimeUnit.SECONDS)).isPresent();
            assertThat(dumps.get()).isEqualTo(1);
            // a miss in the cache is not trusted: the socket may be newer than the dump
            assertThat(diag.lookup(99L).toCompletableFuture().get(5, TimeUnit.SECONDS)).isEmpty();
            assertThat(dumps.get()).isEqualTo(2);
            now.addAndGet(Duration.ofMillis(101).toNanos());
            assertThat(diag.lookup(inode).toCompletableFuture().get(5, TimeUnit.SECONDS)).isPresent();
            assertThat(dumps.get()).isEqualTo(3);
            assertThat(diag.dumpCount()).isEqualTo(3);
        }
    }

    @Test
    void dumpFailureFailsTheWaitingLookups() {
        SmcDiag.Dumper failing = t -> {
            throw new IOException("smc_diag dump: the kernel has no SMC socket diagnostics");
        };
        try (SmcDiag diag = new SmcDiag(Duration.ofMillis(100), Duration.ofSeconds(5), failing, System::nanoTime)) {
            assertThatThrownBy(() -> diag.lookup(1).toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IOException.class).hasMessageContaining("smc_diag");
        }
    }

    @Test
    void closedReaderRefusesLookups() {
        SmcDiag diag = new SmcDiag(Duration.ZERO, Duration.ofSeconds(1), t -> captured, System::nanoTime);
        diag.close();
        assertThat(diag.lookup(1).toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void badArgumentsNameTheField() {
        assertThatThrownBy(() -> SmcDiag.open(Duration.ofMillis(-1), Duration.ofSeconds(1)))
                .hasMessageContaining("`cacheTtl`");
        assertThatThrownBy(() -> SmcDiag.open(Duration.ZERO, Duration.ZERO)).hasMessageContaining("`timeout`");
    }
}
