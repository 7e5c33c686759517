package io.smcvertx.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionStats;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The binder's meter names and tags (the node's /metrics contract), read live, with new reasons added as they appear. */
class SmcMeterBinderTest {

    /** Counters a test sets by hand, with the new-key notice of the real tracker. */
    static final class Stats implements SmcConnectionStats {
        final Map<ConnectionMode, Long> open = new TreeMap<>();
        final Map<ConnectionMode, Long> classified = new TreeMap<>();
        final Map<String, Long> fallbacks = new TreeMap<>();
        final Map<String, Long> required = new TreeMap<>();
        final List<Runnable> listeners = new CopyOnWriteArrayList<>();
        volatile boolean smc = true;

        void fallback(String reason) {
            boolean fresh = !fallbacks.containsKey(reason);
            fallbacks.merge(reason, 1L, Long::sum);
            if (fresh) {
                listeners.forEach(Runnable::run);
            }
        }

        @Override
        public Map<ConnectionMode, Long> openByMode() {
            return new TreeMap<>(open);
        }

        @Override
        public Map<ConnectionMode, Long> classifiedByMode() {
            return new TreeMap<>(classified);
        }

        @Override
        public Map<String, Long> fallbacksByReason() {
            return new TreeMap<>(fallbacks);
        }

        @Override
        public Map<String, Long> requiredClosedByReason() {
            return new TreeMap<>(required);
        }

        @Override
        public Map<String, String> listeners() {
            return Map.of();
        }

        @Override
        public boolean smcSockets() {
            return smc;
        }

        @Override
        public void onNewKey(Runnable listener) {
            listeners.add(listener);
        }
    }

    /** The README's example: any stack's SMC layer (smc-netty's tracker is an {@link SmcConnectionStats}) on any registry. */
    static void readmeExample(SmcConnectionStats tracker, io.micrometer.core.instrument.MeterRegistry registry) {
        // <readme>
        new SmcMeterBinder(tracker).bindTo(registry);   // e.g. smcNetty.tracker(), SmcConnections.of(vertx).tracker()
        // </readme>
    }

    @Test
    void theReadmeExampleRegistersTheSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        readmeExample(new Stats(), registry);
        assertThat(registry.find("smcvertx.connections.open").gauges()).hasSize(ConnectionMode.values().length);
        assertThat(registry.find("smcvertx.smc.available").gauge()).isNotNull();
    }

    private static double gauge(SimpleMeterRegistry r, String name, String tag, String value) {
        Gauge g = r.find(name).tag(tag, value).gauge();
        assertThat(g).as("%s{%s=%s}", name, tag, value).isNotNull();
        return g.value();
    }

    @Test
    void everyModeHasItsSeriesAndValuesAreReadWhenScraped() {
        Stats stats = new Stats();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SmcMeterBinder(stats, Map::of).bindTo(registry);
        for (ConnectionMode m : ConnectionMode.values()) {
            assertThat(gauge(registry, "smcvertx.connections.open", "mode", m.name())).isZero();
            assertThat(gauge(registry, "smcvertx.connections.classified", "mode", m.name())).isZero();
        }
        stats.open.put(ConnectionMode.SMCD, 3L);
        stats.classified.put(ConnectionMode.FALLBACK_TCP, 7L);
        assertThat(gauge(registry, "smcvertx.connections.open", "mode", "SMCD")).isEqualTo(3.0);
        assertThat(gauge(registry, "smcvertx.connections.classified", "mode", "FALLBACK_TCP")).isEqualTo(7.0);
        assertThat(registry.find("smcvertx.smc.available").gauge().value()).isEqualTo(1.0);
        stats.smc = false;
        assertThat(registry.find("smcvertx.smc.available").gauge().value()).isZero();
        assertThat(registry.find("smcvertx.fallbacks").gauges()).as("no reason seen yet: no series").isEmpty();
    }

    @Test
    void aReasonSeenAfterBindingGetsItsSeriesAsItIsCounted() {
        Stats stats = new Stats();
        stats.fallbacks.put("0x03030008", 2L);
        stats.required.put("0x03030008", 1L);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SmcMeterBinder(stats, Map::of).bindTo(registry);
        assertThat(gauge(registry, "smcvertx.fallbacks", "reason", "0x03030008")).isEqualTo(2.0);
        assertThat(gauge(registry, "smcvertx.required.closed", "reason", "0x03030008")).isEqualTo(1.0);

        stats.fallback("0x03010000");
        stats.fallback("0x03010000");
        assertThat(gauge(registry, "smcvertx.fallbacks", "reason", "0x03010000")).isEqualTo(2.0);
        assertThat(registry.find("smcvertx.fallbacks").gauges()).hasSize(2);
    }

    @Test
    void kernelCountersAreReadAtMostOncePerScrapeWindowAndNewOnesAppear() {
        Stats stats = new Stats();
        AtomicInteger reads = new AtomicInteger();
        AtomicLong clock = new AtomicLong();
        Map<String, Long> kernel = new TreeMap<>(Map.of("smcd_tx_bytes", 100L, "smcd_clnt_v2_succ", 2L));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SmcMeterBinder(stats, () -> {
            reads.incrementAndGet();
            return new TreeMap<>(kernel);
        }, clock::get).bindTo(registry);
        assertThat(reads).as("one read at bind").hasValue(1);
        assertThat(gauge(registry, "smcvertx.kernel.smc.stat", "stat", "smcd_tx_bytes")).isEqualTo(100.0);
        assertThat(gauge(registry, "smcvertx.kernel.smc.stat", "stat", "smcd_clnt_v2_succ")).isEqualTo(2.0);
        assertThat(reads).as("the gauges of one scrape share the read").hasValue(1);

        kernel.put("smcd_tx_bytes", 250L);
        kernel.put("smcr_tx_bytes", 9L);
        clock.addAndGet(SmcMeterBinder.KERNEL_CACHE.toNanos() + 1);
        assertThat(gauge(registry, "smcvertx.kernel.smc.stat", "stat", "smcd_tx_bytes")).isEqualTo(250.0);
        assertThat(reads).hasValue(2);
        assertThat(gauge(registry, "smcvertx.kernel.smc.stat", "stat", "smcr_tx_bytes")).isEqualTo(9.0);
    }

    @Test
    void withoutSmcInTheKernelThereAreNoKernelSeriesAndNothingThrows() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SmcMeterBinder(new Stats()).bindTo(registry); // the real netlink reader, on a host kernel without SMC
        if (SmcMeterBinder.kernelCounters().isEmpty()) {
            assertThat(registry.find("smcvertx.kernel.smc.stat").gauges()).isEmpty();
        } else {
            assertThat(registry.find("smcvertx.kernel.smc.stat").tag("stat", "smcd_tx_bytes").gauge()).isNotNull();
        }
        assertThat(registry.find("smcvertx.connections.open").gauges()).hasSize(ConnectionMode.values().length);
    }
}
