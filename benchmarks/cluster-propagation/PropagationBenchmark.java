import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.ConfigReconciler;
import io.smcvertx.cluster.FleetConfig;
import io.smcvertx.cluster.HostIdentity;
import io.smcvertx.cluster.HostStatus;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.cluster.hazelcast.HazelcastClusterConfigStore;
import io.smcvertx.cluster.hazelcast.LoopbackHazelcast;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.testing.InMemorySmcSystem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Propagation benchmark (not a test): N Hazelcast members on 127.0.0.1 in this JVM, each with a
 * store and a reconciler on an in-memory kernel. Each round publishes revision r on member
 * r % N and measures the time until every member's reconciler reports revision r applied
 * (polled every 50 us). The kernel is in memory, so this measures the control plane
 * (sign, CAS in the map, event, verify, plan, status), not netlink.
 *
 * <p>Usage: java -cp CLASSPATH PropagationBenchmark.java [publishes] [members] [warmup] [resultsFile]
 */
public final class PropagationBenchmark {

    public static void main(String[] args) throws Exception {
        int publishes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int members = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path results = Path.of(args.length > 3 ? args[3] : "results/propagation.txt");

        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                ports.add(s.getLocalPort());
            }
        }
        String cluster = "bench-" + UUID.randomUUID();
        OperatorKey key = OperatorKey.generate();
        List<HazelcastInstance> hzs = new ArrayList<>();
        List<HazelcastClusterConfigStore> stores = new ArrayList<>();
        List<ConfigReconciler> reconcilers = new ArrayList<>();
        Path tmp = Files.createTempDirectory("smc-propagation");
        try {
            for (int i = 0; i < members; i++) {
                HazelcastInstance hz = Hazelcast.newHazelcastInstance(
                        LoopbackHazelcast.memberConfig(cluster, ports.get(i), ports));
                hzs.add(hz);
                HazelcastClusterConfigStore store = HazelcastClusterConfigStore.builder().instance(hz).host("host" + i)
                        .trustedKeys(TrustedKeys.of(key.publicKey())).stateFile(tmp.resolve("host" + i + ".revision"))
                        .start().toCompletableFuture().get(120, TimeUnit.SECONDS);
                stores.add(store);
                reconcilers.add(ConfigReconciler.builder(store, new InMemorySmcSystem(), HostIdentity.of("host" + i))
                        .writable(() -> true).interval(Duration.ofSeconds(30)).start());
            }
            while (hzs.getFirst().getCluster().getMembers().size() < members) {
                LockSupport.parkNanos(10_000_000);
            }
            long[] nanos = new long[publishes];
            int total = warmup + publishes;
            for (int r = 1; r <= total; r++) {
                FleetConfig c = FleetConfig.builder(r)
                        .pnet(PnetEntry.ethernet("NET" + (r % 7), "eth0"))
                        .ueid("BENCH-" + r)
                        .build();
                long t0 = System.nanoTime();
                stores.get(r % members).publish(c, key).toCompletableFuture().get(60, TimeUnit.SECONDS);
                for (ConfigReconciler rec : reconcilers) {
                    while (!rec.lastStatus().map(s -> s.appliedRevision() >= c.revision()).orElse(false)) {
                        LockSupport.parkNanos(50_000);
                        if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(60)) {
                            throw new IllegalStateException("revision " + r + " not applied on "
                                    + rec.host().name() + " within 60 s: " + rec.lastStatus());
                        }
                    }
                }
                if (r > warmup) {
                    nanos[r - warmup - 1] = System.nanoTime() - t0;
                }
            }
            for (ConfigReconciler rec : reconcilers) {
                HostStatus s = rec.lastStatus().orElseThrow();
                if (s.state() != HostStatus.State.APPLIED) {
                    throw new IllegalStateException("final state of " + s.host() + ": " + s);
                }
            }
            String report = report(nanos, members, warmup);
            Files.createDirectories(results.toAbsolutePath().getParent());
            Files.writeString(results, report);
            System.out.print(report);
            System.out.println("written to " + results.toAbsolutePath());
        } finally {
            reconcilers.forEach(ConfigReconciler::close);
            stores.forEach(HazelcastClusterConfigStore::close);
            hzs.forEach(h -> h.getLifecycleService().terminate());
        }
    }

    static String report(long[] nanos, int members, int warmup) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long n : sorted) {
            sum += n;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# cluster-propagation: publish -> applied on all members\n");
        sb.append("date: ").append(Instant.now()).append('\n');
        sb.append("java: ").append(Runtime.version()).append(", cpus: ").append(Runtime.getRuntime().availableProcessors())
                .append(", load average at end: ").append(loadAverage()).append('\n');
        sb.append("members: ").append(members).append(" (one JVM, 127.0.0.1), in-memory kernels\n");
        sb.append("publishes measured: ").append(sorted.length).append(" (after ").append(warmup).append(" warm-up)\n");
        sb.append(String.format("p50_ms: %.3f%n", pct(sorted, 50)));
        sb.append(String.format("p90_ms: %.3f%n", pct(sorted, 90)));
        sb.append(String.format("p99_ms: %.3f%n", pct(sorted, 99)));
        sb.append(String.format("max_ms: %.3f%n", sorted[sorted.length - 1] / 1e6));
        sb.append(String.format("mean_ms: %.3f%n", sum / sorted.length / 1e6));
        return sb.toString();
    }

    /** Nearest-rank percentile, in milliseconds. */
    static double pct(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
