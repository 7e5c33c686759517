package io.smcvertx.vertx.node;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.smcvertx.vertx.SmcConnectionInfo.Mode;
import io.smcvertx.vertx.SmcConnections;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Prometheus text for the admin endpoint. Every value is read from the connection registry, the
 * per-connection byte counts (see {@link ConnectionBytes}) and the kernel when scraped; nothing
 * here runs per packet.
 */
final class NodeMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SmcConnections connections;
    private final MultiGauge open;
    private final MultiGauge total;
    private final MultiGauge fallbacks;
    private final MultiGauge requiredClosed;
    private final MultiGauge kernel;
    private final MultiGauge bytes;
    private final Supplier<Map<String, Long>> kernelStats;
    private final ConnectionBytes connectionBytes;

    private final FleetMetrics fleet; // null: no fleet/doctor rows (unit tests of the connection rows)

    NodeMetrics(SmcConnections connections, ConnectionBytes connectionBytes, Supplier<Map<String, Long>> kernelStats) {
        this(connections, connectionBytes, kernelStats, null, null);
    }

    NodeMetrics(SmcConnections connections, ConnectionBytes connectionBytes, Supplier<Map<String, Long>> kernelStats,
            ClusterConfigService clusterConfig, OperatorView operator) {
        this.fleet = operator == null ? null : new FleetMetrics(registry, clusterConfig, operator);
        this.connections = connections;
        this.connectionBytes = connectionBytes;
        this.kernelStats = kernelStats;
        bytes = MultiGauge.builder("smcvertx.connection.bytes")
                .description("bytes read and written by this node's TCP connections since start, by SMC mode (a counter)")
                .register(registry);
        Gauge.builder("smcvertx.connection.bytes.unattributed", connectionBytes::unattributed)
                .description("connections whose bytes could not be tied to their kernel mode (counted under mode UNKNOWN)")
                .register(registry);
        open = MultiGauge.builder("smcvertx.connections.open").description("open TCP connections by SMC mode").register(registry);
        total = MultiGauge.builder("smcvertx.connections.classified").description("connections classified since start, by SMC mode (a counter)").register(registry);
        fallbacks = MultiGauge.builder("smcvertx.fallbacks").description("TCP fallbacks since start, by kernel reason code (a counter)").register(registry);
        requiredClosed = MultiGauge.builder("smcvertx.required.closed").description("connections closed because SMC was required, by reason (a counter)").register(registry);
        kernel = MultiGauge.builder("smcvertx.kernel.smc.stat").description("the kernel's SMC statistics (SMC_NETLINK_GET_STATS)").register(registry);
        Gauge.builder("smcvertx.smc.available", () -> connections.smcAvailable() ? 1 : 0)
                .description("1 when TCP channels are SMC sockets").register(registry);
    }

    String scrape() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        Map<Mode, Long> o = connections.openByMode();
        for (Mode m : Mode.values()) {
            rows.add(MultiGauge.Row.of(Tags.of("mode", m.name()), o.getOrDefault(m, 0L)));
        }
        open.register(rows, true);
        rows = new ArrayList<>();
        Map<Mode, Long> t = connections.totalByMode();
        for (Mode m : Mode.values()) {
            rows.add(MultiGauge.Row.of(Tags.of("mode", m.name()), t.getOrDefault(m, 0L)));
        }
        total.register(rows, true);
        rows = new ArrayList<>();
        for (Map.Entry<Mode, ConnectionBytes.Totals> e : connectionBytes.byMode().entrySet()) {
            rows.add(MultiGauge.Row.of(Tags.of("mode", e.getKey().name(), "direction", "read"), e.getValue().read()));
            rows.add(MultiGauge.Row.of(Tags.of("mode", e.getKey().name(), "direction", "written"), e.getValue().written()));
        }
        bytes.register(rows, true);
        fallbacks.register(rows(connections.fallbacksByReason(), "reason"), true);
        requiredClosed.register(rows(connections.requiredClosedByReason(), "reason"), true);
        kernel.register(rows(kernelStats.get(), "stat"), true);
        if (fleet != null) {
            fleet.refresh();
        }
        return registry.scrape();
    }

    private static List<MultiGauge.Row<?>> rows(Map<String, Long> values, String tag) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        values.forEach((k, v) -> rows.add(MultiGauge.Row.of(Tags.of(tag, k), v)));
        return rows;
    }
}
