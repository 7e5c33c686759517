package io.smcvertx.vertx.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.smcvertx.cluster.HostStatus;
import io.smcvertx.transport.doctor.DoctorReport;
import io.smcvertx.transport.doctor.Finding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fleet's side of {@code /metrics}: which revision every host has applied (as this member
 * sees the status map), the newest revision, drift per host, and this host's doctor findings.
 * Read when scraped, on the admin endpoint's worker; a store that does not answer in time leaves
 * the host rows out rather than stalling the scrape.
 */
final class FleetMetrics {

    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(5);

    private final ClusterConfigService fleet; // null unless clusterConfig.enabled
    private final OperatorView operator;
    private final MultiGauge applied;
    private final MultiGauge desired;
    private final MultiGauge drift;
    private final MultiGauge state;
    private final MultiGauge current;
    private final MultiGauge findings;

    FleetMetrics(MeterRegistry registry, ClusterConfigService fleet, OperatorView operator) {
        this.fleet = fleet;
        this.operator = operator;
        applied = MultiGauge.builder("smcvertx.cluster.revision.applied")
                .description("the fleet revision each host's kernel holds, as its reconciler last reported (0: none)").register(registry);
        desired = MultiGauge.builder("smcvertx.cluster.revision.desired")
                .description("the newest verified revision each host knows").register(registry);
        drift = MultiGauge.builder("smcvertx.cluster.host.drift")
                .description("differences between each host's kernel and its applied revision").register(registry);
        state = MultiGauge.builder("smcvertx.cluster.host.state")
                .description("1 for each host's reconciler state (APPLIED, DRIFT, PENDING, ERROR, READ_ONLY, NO_SMC)").register(registry);
        current = MultiGauge.builder("smcvertx.cluster.revision.current")
                .description("the newest fleet revision this member accepted (0: none; absent without clusterConfig)").register(registry);
        findings = MultiGauge.builder("smcvertx.doctor.findings")
                .description("this host's doctor findings by status (smcctl doctor)").register(registry);
    }

    void refresh() {
        List<MultiGauge.Row<?>> a = new ArrayList<>();
        List<MultiGauge.Row<?>> d = new ArrayList<>();
        List<MultiGauge.Row<?>> dr = new ArrayList<>();
        List<MultiGauge.Row<?>> st = new ArrayList<>();
        List<MultiGauge.Row<?>> cur = new ArrayList<>();
        if (fleet != null) {
            cur.add(MultiGauge.Row.of(Tags.empty(), fleet.currentRevision()));
            try {
                for (Map.Entry<String, HostStatus> e : fleet.hosts(STATUS_TIMEOUT).entrySet()) {
                    Tags host = Tags.of("host", e.getKey());
                    HostStatus s = e.getValue();
                    a.add(MultiGauge.Row.of(host, s.appliedRevision()));
                    d.add(MultiGauge.Row.of(host, s.desiredRevision()));
                    dr.add(MultiGauge.Row.of(host, s.drift().size()));
                    st.add(MultiGauge.Row.of(host.and("state", s.state().name()), 1));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // the rows stay empty: an absent series is what alerts on absence are written for
            }
        }
        applied.register(a, true);
        desired.register(d, true);
        drift.register(dr, true);
        state.register(st, true);
        current.register(cur, true);
        DoctorReport r = operator.report();
        List<MultiGauge.Row<?>> f = new ArrayList<>();
        for (Finding.Status s : Finding.Status.values()) {
            f.add(MultiGauge.Row.of(Tags.of("status", s.name()), r.count(s)));
        }
        findings.register(f, true);
    }
}
