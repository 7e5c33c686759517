package io.smcvertx.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.smcvertx.cluster.internal.DoctorReportJson;
import io.smcvertx.transport.doctor.DoctorReport;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Every host's last {@link DoctorReport}, beside the host status map: each node publishes its
 * own (under its host name), {@code smcctl cluster doctor} reads them all into one table.
 * Entries are JSON text, so readers need no classes of the writer's version. Nothing here blocks
 * the caller.
 */
public final class HazelcastDoctorReports {

    /** The map's name, next to {@link HazelcastClusterConfigStore#DEFAULT_STATUS_MAP}. */
    public static final String DEFAULT_MAP = "smcvertx.host-doctor";

    private final IMap<String, String> map;
    private final Executor reads;

    private HazelcastDoctorReports(IMap<String, String> map, Executor reads) {
        this.map = map;
        this.reads = reads;
    }

    /** The reports on this member or client; the instance stays the caller's. */
    public static HazelcastDoctorReports on(HazelcastInstance instance) {
        Objects.requireNonNull(instance, "`instance` must not be `null`");
        return new HazelcastDoctorReports(instance.getMap(DEFAULT_MAP), ForkJoinPool.commonPool());
    }

    /** Replaces this host's report. */
    public CompletionStage<Void> publish(DoctorReport report) {
        Objects.requireNonNull(report, "`report` must not be `null`");
        return map.setAsync(report.host(), DoctorReportJson.write(report));
    }

    /**
     * Every host's report, by host name. An entry that cannot be read (another writer) becomes
     * a report with no findings whose kernel field says why, so it still shows up in the table.
     */
    public CompletionStage<Map<String, DoctorReport>> reports() {
        return CompletableFuture.supplyAsync(() -> {
            Map<String, DoctorReport> out = new TreeMap<>();
            for (Map.Entry<String, String> e : map.entrySet()) {
                try {
                    out.put(e.getKey(), DoctorReportJson.read(e.getValue()));
                } catch (IllegalArgumentException bad) {
                    out.put(e.getKey(), new DoctorReport(e.getKey(), "unreadable: " + bad.getMessage(),
                            java.time.Instant.EPOCH, java.util.List.of()));
                }
            }
            return out;
        }, reads);
    }
}
