import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.ClusterConfigStore;
import io.smcvertx.cluster.ConfigReconciler;
import io.smcvertx.cluster.FleetConfig;
import io.smcvertx.cluster.HostEnrollment;
import io.smcvertx.cluster.HostIdentity;
import io.smcvertx.cluster.HostKey;
import io.smcvertx.cluster.HostReport;
import io.smcvertx.cluster.HostStatus;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.Rejection;
import io.smcvertx.cluster.SignedRevision;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.cluster.hazelcast.FleetHazelcast;
import io.smcvertx.cluster.hazelcast.HazelcastClusterConfigStore;
import io.smcvertx.cluster.hazelcast.LoopbackHazelcast;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.testing.InMemorySmcSystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Fleet-scale benchmark (not a test): 3 Hazelcast member processes hold the store; N simulated
 * nodes connect to them as Hazelcast clients (client mode), each with its own client, store,
 * enrolled host key, state file, applied journal and reconciler over an in-memory kernel, packed
 * into a few "sim" JVMs. The coordinator (its own process, an operator's client) publishes
 * revision after revision and measures, per publish, the time until every node's reconciler has
 * applied it to its kernel and reports it (the moment it hands its signed status to the store).
 *
 * <p>Times come from System.nanoTime in different processes: on Linux that is CLOCK_MONOTONIC,
 * one clock for the machine; the run checks it (a sim's time must fall between the coordinator's
 * send and receive of a probe) and stops if not.
 *
 * <p>Modes: {@code coordinator NODES PUBLISHES JVMS WARMUP RESULTS_FILE CLASSPATH},
 * {@code member CLUSTER PORT PORTS}, {@code sim CLUSTER MEMBERS OPERATOR_KEY FIRST COUNT DIR}.
 */
public final class FleetScale {

    static final Duration PATIENCE = Duration.ofSeconds(120);
    /** USER_HZ: the unit of /proc/<pid>/stat's utime and stime (100 on every Linux this runs on). */
    static final double CLOCK_TICKS = 100;
    /** Seconds of nothing published before the measured publishes, to take the sims' idle CPU (env IDLE_SECONDS). */
    static final int IDLE_SECONDS = Integer.parseInt(System.getenv().getOrDefault("IDLE_SECONDS", "10"));

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "member" -> member(args);
            case "sim" -> sim(args);
            case "coordinator" -> coordinator(args);
            default -> throw new IllegalArgumentException("mode: member | sim | coordinator");
        }
    }

    // ------------------------------------------------------------------ member

    static void member(String[] a) throws Exception {
        List<Integer> ports = Arrays.stream(a[3].split(",")).map(Integer::parseInt).toList();
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(LoopbackHazelcast.memberConfig(a[1], Integer.parseInt(a[2]), ports));
        System.out.println("READY");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).lines().forEach(l -> { });
        hz.getLifecycleService().terminate();
    }

    // ------------------------------------------------------------------ sim

    /** Records when its reconciler first reports a revision applied: the "applied" moment of one node. */
    static final class Recording implements ClusterConfigStore {
        final ClusterConfigStore d;
        final Map<Long, Long> appliedAt = new ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicLong reports = new java.util.concurrent.atomic.AtomicLong();

        Recording(ClusterConfigStore d) {
            this.d = d;
        }

        @Override
        public CompletionStage<Void> reportStatus(HostStatus s) {
            reports.incrementAndGet();
            if (s.state() == HostStatus.State.APPLIED) {
                appliedAt.putIfAbsent(s.appliedRevision(), System.nanoTime());
            }
            return d.reportStatus(s);
        }

        @Override
        public CompletionStage<SignedRevision> publish(FleetConfig c, OperatorKey k) {
            return d.publish(c, k);
        }

        @Override
        public CompletionStage<SignedRevision> publish(SignedRevision r) {
            return d.publish(r);
        }

        @Override
        public Optional<SignedRevision> current() {
            return d.current();
        }

        @Override
        public Flow.Publisher<SignedRevision> changes() {
            return d.changes();
        }

        @Override
        public Flow.Publisher<Rejection> rejections() {
            return d.rejections();
        }

        @Override
        public Optional<Rejection> lastRejection() {
            return d.lastRejection();
        }

        @Override
        public CompletionStage<Map<String, HostReport>> status() {
            return d.status();
        }

        @Override
        public TrustedKeys trustedKeys() {
            return d.trustedKeys();
        }

        @Override
        public void close() {
            d.close();
        }
    }

    static void sim(String[] a) throws Exception {
        String cluster = a[1];
        List<String> members = List.of(a[2].split(","));
        OperatorKey operator = OperatorKey.load(Path.of(a[3]));
        int first = Integer.parseInt(a[4]);
        int count = Integer.parseInt(a[5]);
        Path dir = Path.of(a[6]);
        TrustedKeys trust = TrustedKeys.of(operator.publicKey());
        long[] before = memory();
        List<java.util.concurrent.Future<Recording>> starting = new ArrayList<>();
        java.util.concurrent.ExecutorService starter = java.util.concurrent.Executors.newFixedThreadPool(4);
        for (int i = first; i < first + count; i++) {
            String host = String.format("sim-%04d", i);
            starting.add(starter.submit(() -> {
                // exactly what a node in client mode starts (SmcNode + ClusterConfigService), minus Vert.x
                HazelcastInstance client = FleetHazelcast.startClient(FleetHazelcast.clientConfig(cluster, members), PATIENCE);
                HostKey key = HostKey.generate(); // made on the host; the operator enrolls it (here, at once)
                HazelcastClusterConfigStore store = HazelcastClusterConfigStore.builder().instance(client).host(host).trustedKeys(trust)
                        .hostKey(key, HostEnrollment.enroll(host, key.publicKey(), operator))
                        .stateFile(dir.resolve(host + ".revision")).start().toCompletableFuture()
                        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                Recording rec = new Recording(store);
                ConfigReconciler.builder(rec, new InMemorySmcSystem(), HostIdentity.of(host)).writable(() -> true)
                        .appliedFile(dir.resolve(host + ".revision.applied")).start();
                return rec;
            }));
        }
        List<Recording> nodes = new ArrayList<>();
        for (var f : starting) {
            nodes.add(f.get());
        }
        starter.shutdown();
        long[] after = memory();
        PrintWriter out = new PrintWriter(System.out, true);
        out.println("READY " + count + " " + Arrays.stream(before).mapToObj(String::valueOf).collect(Collectors.joining(" "))
                + " " + Arrays.stream(after).mapToObj(String::valueOf).collect(Collectors.joining(" ")));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.split(" ");
            if (w[0].equals("CLOCK")) {
                out.println("CLOCK " + System.nanoTime());
            } else if (w[0].equals("THREADS")) {
                out.println("THREADS " + threadCpu());
            } else if (w[0].equals("STATS")) {
                out.println("STATS " + nodes.stream().mapToLong(n -> n.reports.get()).sum() + " "
                        + io.smcvertx.cluster.Ed25519Implementation.inUse());
            } else if (w[0].equals("WAIT")) {
                long r = Long.parseLong(w[1]);
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                StringBuilder sb = new StringBuilder("DONE ").append(r);
                for (Recording n : nodes) {
                    Long t;
                    while ((t = n.appliedAt.get(r)) == null && System.nanoTime() < deadline) {
                        TimeUnit.MILLISECONDS.sleep(1);
                    }
                    sb.append(' ').append(t == null ? -1 : t);
                }
                out.println(sb);
                nodes.forEach(n -> n.appliedAt.keySet().removeIf(x -> x < r));
            }
        }
    }

    /**
     * This JVM's CPU by thread group, from /proc/self/task/N/stat (JIT and GC threads included):
     * "name=ticks;..." with digits in names folded to '#', so the 50 nodes' threads of one kind add up.
     */
    static String threadCpu() {
        Map<String, Long> by = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String st = Files.readString(t.resolve("stat"));
                    String name = st.substring(st.indexOf('(') + 1, st.lastIndexOf(')')).replaceAll("[0-9]+", "#")
                            .replaceAll("[;= ]", "_");
                    String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
                    by.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return "";
        }
        return by.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }

    /** Heap used after GC, RSS, threads: {heapBytes, rssBytes, threads}. */
    static long[] memory() throws IOException {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        long rss = 0;
        long threads = 0;
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                rss = Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            } else if (l.startsWith("Threads:")) {
                threads = Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return new long[] {heap, rss, threads};
    }

    // ------------------------------------------------------------------ coordinator

    record Proc(Process p, PrintWriter in, BlockingQueue<String> lines) {
        static Proc start(List<String> cmd, Path log) throws IOException {
            Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            BlockingQueue<String> q = new LinkedBlockingQueue<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        q.add(l);
                    }
                } catch (IOException e) {
                    // ended
                }
            });
            return new Proc(p, new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8), q);
        }

        String expect(String prefix) throws InterruptedException {
            long end = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (System.nanoTime() < end) {
                String l = lines.poll(1, TimeUnit.SECONDS);
                if (l != null && l.startsWith(prefix)) {
                    return l;
                }
                if (l == null && !p.isAlive()) {
                    throw new IllegalStateException("process ended (exit " + p.exitValue() + ") waiting for " + prefix);
                }
            }
            throw new IllegalStateException("no " + prefix + " within 30 minutes");
        }
    }

    static void coordinator(String[] a) throws Exception {
        int nodes = Integer.parseInt(a[1]);
        int publishes = Integer.parseInt(a[2]);
        int jvms = Math.min(Integer.parseInt(a[3]), nodes);
        int warmup = Integer.parseInt(a[4]);
        Path results = Path.of(a[5]);
        String cp = a[6];
        String simHeap = System.getenv().getOrDefault("SIM_HEAP", "1536m");
        // extra flags for the sim JVMs only (e.g. a JFR recording): members and coordinator stay as they are
        List<String> simOpts = Arrays.stream(System.getenv().getOrDefault("SIM_JVM_OPTS", "").trim().split("\\s+"))
                .filter(x -> !x.isEmpty()).toList();
        Path work = Files.isDirectory(Path.of("/dev/shm")) ? Files.createTempDirectory(Path.of("/dev/shm"), "fleet-scale")
                : Files.createTempDirectory("fleet-scale");
        Path logs = results.toAbsolutePath().getParent().resolve(results.getFileName().toString().replace(".txt", "-logs"));
        Files.createDirectories(logs);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> flags = List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
                "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""));
        String loadStart = load();
        String cluster = "fleet-" + UUID.randomUUID();
        List<Integer> ports = freePorts(3);
        String memberList = ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        OperatorKey operator = OperatorKey.generate();
        operator.save(work.resolve("operator.key"), work.resolve("operator.key.pub"));
        List<Proc> all = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                List<String> cmd = new ArrayList<>(List.of(java));
                cmd.addAll(flags);
                cmd.addAll(List.of("-Xmx512m", "-cp", cp, "FleetScale", "member", cluster, String.valueOf(ports.get(i)),
                        ports.stream().map(String::valueOf).collect(Collectors.joining(","))));
                all.add(Proc.start(cmd, logs.resolve("member" + i + ".log")));
            }
            for (Proc p : all) {
                p.expect("READY");
            }
            long tSims = System.nanoTime();
            List<Proc> sims = new ArrayList<>();
            int per = (nodes + jvms - 1) / jvms;
            for (int j = 0, first = 0; first < nodes; j++, first += per) {
                int count = Math.min(per, nodes - first);
                List<String> cmd = new ArrayList<>(List.of(java));
                cmd.addAll(flags);
                cmd.addAll(simOpts);
                cmd.addAll(List.of("-Xmx" + simHeap, "-Xss256k", "-cp", cp, "FleetScale", "sim", cluster, memberList,
                        work.resolve("operator.key").toString(), String.valueOf(first), String.valueOf(count), work.toString()));
                Proc p = Proc.start(cmd, logs.resolve("sim" + j + ".log"));
                sims.add(p);
                all.add(p);
            }
            long[] mem = new long[6];
            for (Proc p : sims) {
                String[] w = p.expect("READY").split(" ");
                for (int k = 0; k < 6; k++) {
                    mem[k] += Long.parseLong(w[2 + k]);
                }
            }
            double startSeconds = (System.nanoTime() - tSims) / 1e9;
            String clockCheck = checkClock(sims);
            sims.getFirst().in().println("STATS");
            String signatures = sims.getFirst().expect("STATS ").split(" ", 3)[2];

            HazelcastInstance client = FleetHazelcast.startClient(FleetHazelcast.clientConfig(cluster, List.of(memberList.split(","))),
                    PATIENCE);
            HazelcastClusterConfigStore store = HazelcastClusterConfigStore.builder().instance(client).host("operator")
                    .trustedKeys(TrustedKeys.of(operator.publicKey())).start().toCompletableFuture().get(120, TimeUnit.SECONDS);
            int total = warmup + publishes;
            long[] allApplied = new long[publishes];
            List<Long> pids = new ArrayList<>(all.stream().map(p -> p.p().pid()).toList());
            pids.add(ProcessHandle.current().pid());
            List<Long> simPids = sims.stream().map(p -> p.p().pid()).toList();
            List<Long> memberPids = all.subList(0, 3).stream().map(p -> p.p().pid()).toList();
            long[] memberCpu0 = null;
            long[] cpu0 = null;
            long[] simCpu0 = null;
            long reports0 = 0;
            Map<String, Long> threads0 = Map.of();
            List<Double> loads = new ArrayList<>();
            List<Long> perNode = new ArrayList<>();
            int missing = 0;
            double idleMsPerNodeSecond = 0;
            long tMeasured = 0;
            for (int r = 1; r <= total; r++) {
                if (r == warmup + 1 && IDLE_SECONDS > 0) {
                    // the sims' CPU with nothing published: heartbeats, metrics, rechecks, which accrue per second, not per publish
                    long[] idle0 = cpu(simPids);
                    long t = System.nanoTime();
                    TimeUnit.SECONDS.sleep(IDLE_SECONDS);
                    long[] idle1 = cpu(simPids);
                    idleMsPerNodeSecond = (idle1[2] - idle0[2]) * 1000.0 / CLOCK_TICKS / nodes / ((System.nanoTime() - t) / 1e9);
                }
                if (r == warmup + 1) {
                    tMeasured = System.nanoTime();
                    threads0 = threadCpu(sims);
                    reports0 = reports(sims);
                    cpu0 = cpu(pids);
                    simCpu0 = cpu(simPids);
                    memberCpu0 = cpu(memberPids);
                }
                if (r > warmup) {
                    loads.add(Double.parseDouble(load().split(" ")[0]));
                }
                FleetConfig c = FleetConfig.builder(r).ueid("FLEET-" + r).pnet(PnetEntry.ethernet("NET" + (r % 7), "eth1")).build();
                long t0 = System.nanoTime();
                store.publish(c, operator).toCompletableFuture().get(120, TimeUnit.SECONDS);
                for (Proc p : sims) {
                    p.in().println("WAIT " + r);
                }
                long last = 0;
                for (Proc p : sims) {
                    String[] w = p.expect("DONE " + r + " ").split(" ");
                    for (int k = 2; k < w.length; k++) {
                        long t = Long.parseLong(w[k]);
                        if (t < 0) {
                            missing++;
                            continue;
                        }
                        last = Math.max(last, t - t0);
                        if (r > warmup) {
                            perNode.add(t - t0);
                        }
                    }
                }
                if (r > warmup) {
                    allApplied[r - warmup - 1] = last;
                }
            }
            long[] cpu1 = cpu(pids);
            double reportsPerNodePublish = (reports(sims) - reports0) / ((double) nodes * publishes);
            Map<String, Long> threads1 = threadCpu(sims);
            Map<String, Long> before = threads0;
            StringBuilder split = new StringBuilder();
            threads1.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> split.append(String.format("  %-18s %6.3f%n", e.getKey(),
                            e.getValue() * 1000.0 / CLOCK_TICKS / ((double) nodes * publishes))));
            long[] simCpu1 = cpu(simPids);
            double secondsPerPublish = (System.nanoTime() - tMeasured) / 1e9 / publishes;
            long[] memberCpu1 = cpu(memberPids);
            String machine = machineUse(cpu0, cpu1, loads);
            // the sims' own CPU (user + system, from /proc/<pid>/stat) over the measured publishes, per node and publish
            double cpuPerNodePublishMs = (simCpu1[2] - simCpu0[2]) * 1000.0 / CLOCK_TICKS / ((double) nodes * publishes);
            double systemShare = (simCpu1[3] - simCpu0[3]) / (double) Math.max(1, simCpu1[2] - simCpu0[2]);
            double memberCpuPerNodePublishMs = (memberCpu1[2] - memberCpu0[2]) * 1000.0 / CLOCK_TICKS / ((double) nodes * publishes);
            // the operator's view at the end: every host's signed status, verified
            long tStatus = System.nanoTime();
            Map<String, HostReport> status = store.status().toCompletableFuture().get(300, TimeUnit.SECONDS);
            double statusSeconds = (System.nanoTime() - tStatus) / 1e9;
            long verifiedApplied = status.values().stream().filter(h -> h.hasApplied(total)).count();
            store.close();
            client.shutdown();

            String report = report(nodes, jvms, publishes, warmup, allApplied, perNode, missing, mem, startSeconds, clockCheck,
                    verifiedApplied, status.size(), statusSeconds, loadStart, load(), machine, simHeap, work, cpuPerNodePublishMs,
                    memberCpuPerNodePublishMs, simOpts, reportsPerNodePublish, signatures, split.toString(), systemShare,
                    idleMsPerNodeSecond, secondsPerPublish);
            Files.createDirectories(results.toAbsolutePath().getParent());
            Files.writeString(results, report);
            System.out.print(report);
            System.out.println("written to " + results.toAbsolutePath());
            if (missing > 0 || verifiedApplied != nodes) {
                System.exit(1);
            }
        } finally {
            for (Proc p : all) {
                p.in().close();
                p.p().destroyForcibly();
            }
            try (var files = Files.list(work)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    /** The sims' CPU ticks by thread group, summed over the sims. */
    static Map<String, Long> threadCpu(List<Proc> sims) throws InterruptedException {
        Map<String, Long> sum = new java.util.HashMap<>();
        for (Proc p : sims) {
            p.in().println("THREADS");
            String body = p.expect("THREADS").substring("THREADS".length()).trim();
            for (String kv : body.isEmpty() ? new String[0] : body.split(";")) {
                int eq = kv.lastIndexOf('=');
                sum.merge(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)), Long::sum);
            }
        }
        return sum;
    }

    /** Status reports made so far by all the sims' nodes. */
    static long reports(List<Proc> sims) throws InterruptedException {
        long sum = 0;
        for (Proc p : sims) {
            p.in().println("STATS");
            sum += Long.parseLong(p.expect("STATS ").split(" ")[1]);
        }
        return sum;
    }

    /** A sim's nanoTime must fall between the coordinator's send and receive: one clock for all. */
    static String checkClock(List<Proc> sims) throws Exception {
        long worst = 0;
        for (Proc p : sims) {
            for (int i = 0; i < 5; i++) {
                long sent = System.nanoTime();
                p.in().println("CLOCK");
                long theirs = Long.parseLong(p.expect("CLOCK ").split(" ")[1]);
                long got = System.nanoTime();
                if (theirs < sent || theirs > got) {
                    throw new IllegalStateException("System.nanoTime is not one clock across processes here: sent " + sent
                            + ", sim said " + theirs + ", received " + got);
                }
                worst = Math.max(worst, got - sent);
            }
        }
        return "ok (each sim's nanoTime between send and receive; widest round trip " + worst / 1000 + " us)";
    }

    static String report(int nodes, int jvms, int publishes, int warmup, long[] allApplied, List<Long> perNode, int missing,
            long[] mem, double startSeconds, String clock, long verifiedApplied, int statusHosts, double statusSeconds,
            String loadStart, String loadEnd, String machine, String simHeap, Path work, double cpuPerNodePublishMs,
            double memberCpuPerNodePublishMs, List<String> simOpts, double reportsPerNodePublish, String signatures, String split, double systemShare,
            double idleMsPerNodeSecond, double secondsPerPublish) {
        long[] a = allApplied.clone();
        Arrays.sort(a);
        long[] n = perNode.stream().mapToLong(Long::longValue).sorted().toArray();
        StringBuilder sb = new StringBuilder();
        sb.append("# fleet-scale: publish -> applied on every client node\n");
        sb.append("date: ").append(Instant.now()).append('\n');
        sb.append("java: ").append(Runtime.version()).append(", cpus: ").append(Runtime.getRuntime().availableProcessors()).append('\n');
        sb.append("load average at start: ").append(loadStart).append('\n');
        sb.append("load average at end:   ").append(loadEnd).append('\n');
        sb.append("during the measured publishes: ").append(machine).append('\n');
        sb.append("members: 3 processes (127.0.0.1), mode client for every node\n");
        sb.append("nodes: ").append(nodes).append(" in ").append(jvms).append(" sim JVMs (-Xmx").append(simHeap)
                .append(" each), each node: own Hazelcast client, store, enrolled host key (signed status),")
                .append(" state file + applied journal (in ").append(work.getParent()).append("), reconciler, in-memory kernel\n");
        sb.append("sim JVM extra flags (SIM_JVM_OPTS): ").append(simOpts.isEmpty() ? "none" : String.join(" ", simOpts)).append('\n');
        sb.append("Ed25519 in the sims: ").append(signatures).append('\n');
        sb.append("nodes started in: ").append(String.format("%.1f s", startSeconds)).append('\n');
        sb.append("clock: ").append(clock).append('\n');
        sb.append("publishes measured: ").append(publishes).append(" (after ").append(warmup).append(" warm-up), one at a time\n");
        sb.append("nodes that missed a revision within ").append(PATIENCE.toSeconds()).append(" s: ").append(missing).append('\n');
        sb.append(String.format("all_applied_p50_ms: %.1f%n", pct(a, 50)));
        sb.append(String.format("all_applied_p90_ms: %.1f%n", pct(a, 90)));
        sb.append(String.format("all_applied_p99_ms: %.1f%n", pct(a, 99)));
        sb.append(String.format("all_applied_max_ms: %.1f%n", a[a.length - 1] / 1e6));
        sb.append(String.format("per_node_p50_ms: %.1f%n", pct(n, 50)));
        sb.append(String.format("per_node_p99_ms: %.1f%n", pct(n, 99)));
        sb.append(String.format("sim_cpu_per_node_per_publish_ms: %.2f (the sim JVMs' user+system CPU over the measured"
                + " publishes, from /proc/<pid>/stat, / (nodes x publishes); %.0f%% of it in the kernel)%n", cpuPerNodePublishMs, 100 * systemShare));
        sb.append(String.format("sim_idle_cpu_per_node_per_second_ms: %.3f (the same measure over %d s with nothing published,"
                + " before the measured publishes)%n", idleMsPerNodeSecond, IDLE_SECONDS));
        sb.append(String.format("sim_cpu_per_node_per_publish_less_idle_ms: %.2f (the above less idle x %.2f s per measured"
                + " publish: the work a publish itself costs a node)%n",
                cpuPerNodePublishMs - idleMsPerNodeSecond * secondsPerPublish, secondsPerPublish));
        sb.append("sim CPU by thread group (/proc/<pid>/task, ms per node per publish; names as the kernel keeps them, 15 chars):\n")
                .append(split);
        sb.append(String.format("status_reports_per_node_per_publish: %.2f (each one signed)%n", reportsPerNodePublish));
        sb.append(String.format("member_cpu_per_node_per_publish_ms: %.2f (the 3 member processes' CPU, same measure)%n",
                memberCpuPerNodePublishMs));
        sb.append(String.format("heap_per_node_kib: %.0f (heap used after GC, sims' total %d MiB -> %d MiB)%n",
                (mem[3] - mem[0]) / 1024.0 / nodes, mem[0] >> 20, mem[3] >> 20));
        sb.append(String.format("rss_per_node_kib: %.0f (RSS, sims' total %d MiB -> %d MiB)%n",
                (mem[4] - mem[1]) / 1024.0 / nodes, mem[1] >> 20, mem[4] >> 20));
        sb.append(String.format("threads_per_node: %.1f (sims' total %d -> %d)%n", (mem[5] - mem[2]) / (double) nodes, mem[2], mem[5]));
        sb.append("operator's status read at the end: ").append(statusHosts).append(" hosts, ").append(verifiedApplied)
                .append(" verified and applied the last revision, read and verified in ")
                .append(String.format("%.2f s", statusSeconds)).append('\n');
        return sb.toString();
    }

    /** Nearest-rank percentile, in milliseconds. */
    static double pct(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    /**
     * {machine busy jiffies, machine total jiffies, jiffies of our processes (members, sims, this
     * one)}: the load average counts our own threads too, so the run also says how much of the
     * machine everyone else used meanwhile.
     */
    static long[] cpu(List<Long> pids) {
        long busy = 0;
        long totalJ = 0;
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            for (int i = 1; i < f.length; i++) {
                long v = Long.parseLong(f[i]);
                totalJ += v;
                if (i != 4 && i != 5) { // idle, iowait
                    busy += v;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0, 0, 0};
        }
        long ours = 0;
        long oursSystem = 0;
        for (long pid : pids) {
            try {
                String st = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
                ours += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                oursSystem += Long.parseLong(f[12]);
            } catch (IOException | RuntimeException e) {
                // ended: its time is lost, which only under-counts ours
            }
        }
        return new long[] {busy, totalJ, ours, oursSystem};
    }

    static String machineUse(long[] a, long[] b, List<Double> loads) {
        double cores = Runtime.getRuntime().availableProcessors();
        double total = Math.max(1, b[1] - a[1]);
        double busy = (b[0] - a[0]) / total * cores;
        double ours = (b[2] - a[2]) / total * cores;
        double[] l = loads.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format("machine busy %.2f of %.0f cores, of which this benchmark %.2f and everyone else %.2f;"
                + " 1-min load average min %.1f, median %.1f, max %.1f", busy, cores, ours, Math.max(0, busy - ours),
                l.length == 0 ? 0 : l[0], l.length == 0 ? 0 : l[l.length / 2], l.length == 0 ? 0 : l[l.length - 1]);
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> s = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                s.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return s.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket x : s) {
                x.close();
            }
        }
    }
}
