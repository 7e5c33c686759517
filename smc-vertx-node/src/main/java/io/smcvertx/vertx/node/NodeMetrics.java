package io.smcvertx.vertx.node;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.smcvertx.micrometer.SmcMeterBinder;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionStats;
import io.smcvertx.vertx.SmcConnections;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Prometheus text for the admin endpoint: smc-micrometer's {@link SmcMeterBinder} (connections,
 * fallbacks, REQUIRED closes, kernel counters), the JVM's memory by pool, and the node's own byte
 * counts (see {@link ConnectionBytes}). Every value is read when scraped; nothing here runs per packet.
 * Construct and scrape off event loops: both read the kernel's counters over netlink.
 */
final class NodeMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge bytes;
    private final ConnectionBytes connectionBytes;
    private final FleetMetrics fleet; // null: no fleet/doctor rows (unit tests of the connection rows)

    NodeMetrics(SmcConnections connections, ConnectionBytes connectionBytes, Supplier<Map<String, Long>> kernelStats) {
        this(connections.tracker(), connectionBytes, kernelStats, null, null);
    }

    NodeMetrics(SmcConnectionStats stats, ConnectionBytes connectionBytes, Supplier<Map<String, Long>> kernelStats,
            ClusterConfigService clusterConfig, OperatorView operator) {
        this.fleet = operator == null ? null : new FleetMetrics(registry, clusterConfig, operator);
        this.connectionBytes = connectionBytes;
        bytes = MultiGauge.builder("smcvertx.connection.bytes")
                .description("bytes read and written by this node's TCP connections since start, by SMC mode (a counter)")
                .register(registry);
        Gauge.builder("smcvertx.connection.bytes.unattributed", connectionBytes::unattributed)
                .description("connections whose bytes could not be tied to their kernel mode (counted under mode UNKNOWN)")
                .register(registry);
        new SmcMeterBinder(stats, kernelStats).bindTo(registry);
        // heap and non-heap by pool: what a node's memory per connection is judged by (LimitsIT, dashboards)
        new JvmMemoryMetrics().bindTo(registry);
    }

    String scrape() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Map.Entry<ConnectionMode, ConnectionBytes.Totals> e : connectionBytes.byMode().entrySet()) {
            rows.add(MultiGauge.Row.of(Tags.of("mode", e.getKey().name(), "direction", "read"), e.getValue().read()));
            rows.add(MultiGauge.Row.of(Tags.of("mode", e.getKey().name(), "direction", "written"), e.getValue().written()));
        }
        bytes.register(rows, true);
        if (fleet != null) {
            fleet.refresh();
        }
        return registry.scrape();
    }
}
