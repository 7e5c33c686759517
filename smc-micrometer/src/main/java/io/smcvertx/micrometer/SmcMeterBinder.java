package io.smcvertx.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionStats;
import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.SmcStats;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * SMC metrics for any Micrometer registry, the same for a Vert.x node, gRPC, Reactor Netty or
 * plain Netty: register it once with the stats of an SMC layer (smc-netty's
 * {@code SmcConnectionTracker} implements {@link SmcConnectionStats}).
 *
 * <pre>{@code
 * new SmcMeterBinder(smcNetty.tracker()).bindTo(registry);
 * }</pre>
 *
 * <p>Meters (Prometheus names): {@code smcvertx_connections_open{mode}},
 * {@code smcvertx_connections_classified{mode}} (mode is the kernel's word: SMCD, SMCR,
 * FALLBACK_TCP, TCP, UNKNOWN), {@code smcvertx_fallbacks{reason}},
 * {@code smcvertx_required_closed{reason}}, {@code smcvertx_kernel_smc_stat{stat}} (the kernel's
 * SMC counters of the whole network namespace) and {@code smcvertx_smc_available}. The counts
 * since start are gauges, as the node has always published them. Every value is read when the
 * registry reads it: connection counters are maps of adders (no scan), kernel counters one
 * netlink request per {@link #KERNEL_CACHE} at most. Read (scrape) off event loops: the netlink
 * request blocks. A reason seen for the first time gets its series as it is counted.
 */
public final class SmcMeterBinder implements MeterBinder {

    /** How long one netlink read of the kernel counters serves the gauges (one scrape reads all of them). */
    public static final Duration KERNEL_CACHE = Duration.ofSeconds(1);

    private final SmcConnectionStats stats;
    private final Supplier<Map<String, Long>> kernelSource;
    private final LongSupplier clock;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private Map<String, Long> kernelSnapshot = Map.of();
    private long kernelReadAt;
    private boolean kernelRead;

    /** Connection counters of {@code stats} plus the kernel's SMC counters, read over netlink. */
    public SmcMeterBinder(SmcConnectionStats stats) {
        this(stats, SmcMeterBinder::kernelCounters);
    }

    /** Connection counters of {@code stats} plus counters from {@code kernelCounters} (empty map: none). */
    public SmcMeterBinder(SmcConnectionStats stats, Supplier<Map<String, Long>> kernelCounters) {
        this(stats, kernelCounters, System::nanoTime);
    }

    SmcMeterBinder(SmcConnectionStats stats, Supplier<Map<String, Long>> kernelCounters, LongSupplier clock) {
        this.stats = Objects.requireNonNull(stats, "`stats` must not be `null`");
        this.kernelSource = Objects.requireNonNull(kernelCounters, "`kernelCounters` must not be `null`");
        this.clock = clock;
    }

    /** Registers the meters; blocks for one netlink read of the kernel counters (call it off event loops). */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "`registry` must not be `null`");
        if (registries.isEmpty()) {
            // the tracker may count on an event loop: a new reason only registers its gauge, it never reads the kernel
            stats.onNewKey(() -> registries.forEach(this::registerReasons));
        }
        registries.add(registry);
        for (ConnectionMode m : ConnectionMode.values()) {
            Gauge.builder("smcvertx.connections.open", () -> stats.openByMode().getOrDefault(m, 0L))
                    .description("open TCP connections by SMC mode").tag("mode", m.name()).register(registry);
            Gauge.builder("smcvertx.connections.classified", () -> stats.classifiedByMode().getOrDefault(m, 0L))
                    .description("connections classified since start, by SMC mode (a counter)").tag("mode", m.name()).register(registry);
        }
        Gauge.builder("smcvertx.smc.available", () -> stats.smcSockets() ? 1 : 0)
                .description("1 when TCP channels are SMC sockets").register(registry);
        registerReasons(registry);
        registerKernelStats(registry);
    }

    /** Adds a series for every reason known now; registering one again is a no-op in Micrometer. */
    private void registerReasons(MeterRegistry registry) {
        for (String reason : stats.fallbacksByReason().keySet()) {
            Gauge.builder("smcvertx.fallbacks", () -> stats.fallbacksByReason().getOrDefault(reason, 0L))
                    .description("TCP fallbacks since start, by kernel reason code (a counter)").tag("reason", reason).register(registry);
        }
        for (String reason : stats.requiredClosedByReason().keySet()) {
            Gauge.builder("smcvertx.required.closed", () -> stats.requiredClosedByReason().getOrDefault(reason, 0L))
                    .description("connections closed because SMC was required, by reason (a counter)").tag("reason", reason).register(registry);
        }
    }

    /** Adds a series for every kernel counter known now; reads the kernel when the cached read is old. */
    private void registerKernelStats(MeterRegistry registry) {
        for (String stat : kernel().keySet()) {
            Gauge.builder("smcvertx.kernel.smc.stat", () -> kernel().getOrDefault(stat, 0L))
                    .description("the kernel's SMC statistics (SMC_NETLINK_GET_STATS)").tag("stat", stat).register(registry);
        }
    }

    /** The kernel counters, read at most once per {@link #KERNEL_CACHE}; a counter that appears later gets its series then. */
    private Map<String, Long> kernel() {
        Map<String, Long> snapshot;
        boolean grew;
        synchronized (this) {
            long now = clock.getAsLong();
            if (kernelRead && now - kernelReadAt < KERNEL_CACHE.toNanos()) {
                return kernelSnapshot;
            }
            Map<String, Long> read;
            try {
                read = kernelSource.get();
            } catch (RuntimeException e) {
                read = Map.of();
            }
            grew = kernelRead && !kernelSnapshot.keySet().containsAll(read.keySet());
            kernelSnapshot = read;
            kernelReadAt = now;
            kernelRead = true;
            snapshot = read;
        }
        if (grew) {
            // read by a scrape (off event loops): a counter the kernel reports from now on gets its series
            registries.forEach(this::registerKernelStats);
        }
        return snapshot;
    }

    /**
     * The kernel's SMC counters by name ({@code smcd_tx_bytes}, {@code smcr_clnt_v2_succ}, ...,
     * {@code client_handshake_errors}), read now over netlink; empty when they cannot be read
     * (no SMC in the kernel). Blocks: call it off event loops.
     */
    public static Map<String, Long> kernelCounters() {
        try {
            SmcStats s = SmcKernel.netlink().stats();
            Map<String, Long> out = new LinkedHashMap<>();
            s.smcd().forEach((k, v) -> out.put("smcd_" + k, v));
            s.smcr().forEach((k, v) -> out.put("smcr_" + k, v));
            out.put("client_handshake_errors", s.clientHandshakeErrors());
            out.put("server_handshake_errors", s.serverHandshakeErrors());
            return out;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }
}
