package io.smcvertx.vertx.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.bpf.Cgroups;
import io.smcvertx.bpf.UpgradeView;
import io.smcvertx.bpf.testing.Witness;
import io.smcvertx.cluster.FleetConfig;
import io.smcvertx.cluster.HostIdentity;
import io.smcvertx.cluster.HostSelector;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.cluster.hazelcast.HazelcastClusterConfigStore;
import io.smcvertx.cluster.hazelcast.LoopbackHazelcast;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.FallbackReason;
import io.smcvertx.transport.diag.SmcSocketInfo;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pods on one Kubernetes-shaped node, selected by the fleet policy: three network namespaces
 * (pods A, B, C) joined by veth pairs, each pod with its own cgroup below {@code /kubepods.slice}
 * and its process in a container cgroup below that; unmodified programs (static busybox httpd,
 * curl). The node's cluster config service (store + reconciler + the BPF port, as the node wires
 * it) applies a revision whose {@code transparent} pattern selects the besteffort pods A and B:
 * A to B is SMC-D at both ends, A to the burstable pod C stays TCP. A revision without the
 * section detaches: new sockets are plain again. Verdicts: smc_diag inside each namespace
 * (a thread that joins it) and {@code /proc/PID/net/tcp}.
 */
class TransparentFleetIT {

    private static final String PODS = "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod*.slice";
    private static final String A = "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podaaa.slice";
    private static final String B = "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podbbb.slice";
    private static final String C = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podccc.slice";
    private static Cgroups cgroups;
    private static Path dir;
    private static final Path WWW = Path.of("/tmp/transparent-fleet-www");
    private static HazelcastInstance hz;
    private static ClusterConfigService service;
    private static HazelcastClusterConfigStore operator;
    private static OperatorKey key;
    private static final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void node() throws Exception {
        cgroups = Witness.requireLab();
        // the run dir comes back to the host: the programs' output stays readable after the guest is gone
        dir = Files.createDirectories(Path.of(System.getenv().getOrDefault("LAB_RUNDIR", "/tmp"), "transparent-fleet-it"));
        Witness.docroot(WWW, 1 << 20);
        sh("""
                set -e
                for n in A B C; do ip netns add smc$n; ip -n smc$n link set lo up; done
                ip link add vab type veth peer name vba; ip link set vab netns smcA; ip link set vba netns smcB
                ip link add vac type veth peer name vca; ip link set vac netns smcA; ip link set vca netns smcC
                ip -n smcA addr add 10.77.1.1/24 dev vab; ip -n smcA link set vab up
                ip -n smcB addr add 10.77.1.2/24 dev vba; ip -n smcB link set vba up
                ip -n smcA addr add 10.77.2.1/24 dev vac; ip -n smcA link set vac up
                ip -n smcC addr add 10.77.2.2/24 dev vca; ip -n smcC link set vca up
                """);
        for (String pod : List.of(A, B, C)) {
            Files.createDirectories(cgroups.dir(pod + "/cri-containerd-" + pod.substring(pod.length() - 9, pod.length() - 6) + ".scope"));
        }
        key = OperatorKey.generate();
        key.save(dir.resolve("operator.key"), dir.resolve("operator.key.pub"));
        Config c = LoopbackHazelcast.memberConfig("transparent-" + UUID.randomUUID(), 5901, List.of(5901));
        c.addMapConfig(HazelcastClusterConfigStore.memberMapConfig());
        hz = Hazelcast.newHazelcastInstance(c);
        ClusterConfigSettings settings = new ClusterConfigSettings(true, new HostIdentity("lab-guest",
                Map.of("role", "k8s")), List.of(dir.resolve("operator.key.pub")), Optional.empty(), 2);
        service = ClusterConfigService.start(settings, hz);
        operator = HazelcastClusterConfigStore.builder().instance(hz).host("operator")
                .trustedKeys(TrustedKeys.of(key.publicKey())).start().toCompletableFuture().get(2, TimeUnit.MINUTES);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (cgroups == null) {
            return; // skipped (not in the lab): nothing was made
        }
        for (Process p : processes) {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (operator != null) {
            operator.close();
        }
        if (service != null) {
            service.close();
        }
        if (hz != null) {
            hz.getLifecycleService().terminate();
        }
        for (String pod : List.of(A, B, C)) {
            // httpd's per-connection children and their CGI shells too: cgroup.kill ends the whole subtree
            Files.writeString(cgroups.dir(pod).resolve("cgroup.kill"), "1");
            Witness.await(Duration.ofMinutes(1), () -> Witness.pidsBelow(cgroups, pod).isEmpty());
            try (var walk = Files.walk(cgroups.dir(pod))) {
                for (Path d : walk.filter(Files::isDirectory).sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList()) {
                    Files.deleteIfExists(d);
                }
            }
        }
        for (String slice : List.of("/kubepods.slice/kubepods-besteffort.slice", "/kubepods.slice/kubepods-burstable.slice",
                "/kubepods.slice")) {
            Files.deleteIfExists(cgroups.dir(slice));
        }
        sh("for n in A B C; do ip netns del smc$n 2>/dev/null; done; true");
    }

    @Test
    void podsSelectedByThePolicyTalkSmcdAndTheOthersStayTcp() throws Exception {
        operator.publish(FleetConfig.builder(1).ueid("SMCVERTX-LAB")
                .transparent(PODS, HostSelector.label("role", "k8s")).comment("besteffort pods on SMC").build(), key)
                .toCompletableFuture().get(2, TimeUnit.MINUTES);
        AtomicReference<JsonObject> status = new AtomicReference<>();
        assertThat(Witness.await(Duration.ofMinutes(3), () -> {
            JsonObject s = service.statusJson().getJsonObject("status");
            status.set(s);
            JsonObject t = s.getJsonObject("transparent");
            return s.getLong("appliedRevision", 0L) == 1 && t != null && t.getJsonArray("selected").size() == 2;
        })).as("the reconciler selected pods A and B: %s", status).isTrue();
        assertThat(status.get().getString("state")).as("%s", status).isEqualTo("APPLIED");
        assertThat(status.get().getJsonObject("transparent").getJsonArray("selected").encode()).contains(A, B)
                .doesNotContain(C);

        Process serverB = inPod(B, "smcB", "/bin/busybox", "httpd", "-f", "-p", "10.77.1.2:8080", "-h", WWW.toString());
        Process serverC = inPod(C, "smcC", "/bin/busybox", "httpd", "-f", "-p", "10.77.2.2:8080", "-h", WWW.toString());
        assertThat(Witness.await(Duration.ofMinutes(2), () -> Witness.listening(Long.toString(serverB.pid()), 8080)
                && Witness.listening(Long.toString(serverC.pid()), 8080))).isTrue();

        // A -> B: both selected, SMC-D across the two namespaces
        Process toB = inPod(A, "smcA", "/usr/bin/curl", "-sS", "-o", "/tmp/transparent-fleet-gotB",
                "http://10.77.1.2:8080/cgi-bin/slow?15");
        AtomicReference<String> seen = new AtomicReference<>();
        assertThat(Witness.await(Duration.ofMinutes(3), () -> {
            // one dump per namespace per look: a python start costs seconds under emulation
            List<SmcSocketInfo> inA = Witness.smcDiagIn("smcA");
            List<SmcSocketInfo> inB = Witness.smcDiagIn("smcB");
            Optional<SmcSocketInfo> a = smc(inA, List.of(toB.pid()));
            Optional<SmcSocketInfo> b = smc(inB, Witness.pidsBelow(cgroups, B));
            seen.set("A " + a + " B " + b + "; curl alive " + toB.isAlive() + " sockets " + Witness.sockets(toB.pid())
                    + ", B pids " + Witness.pidsBelow(cgroups, B) + "; smc_diag in smcA " + inA + " in smcB " + inB
                    + "; curl log: " + log("smcA-_usr_bin_curl.log"));
            return is(a, ConnectionMode.SMCD) && is(b, ConnectionMode.SMCD);
        })).as("pod A's curl and pod B's httpd are SMCD by smc_diag in their namespaces: %s", seen).isTrue();
        assertThat(toB.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(toB.exitValue()).isZero();
        assertThat(Files.mismatch(Path.of("/tmp/transparent-fleet-gotB"), WWW.resolve("big.bin"))).isEqualTo(-1L);

        // A -> C: C is not selected: its sockets are plain TCP; A's SMC socket falls back (peer offered no SMC)
        Process toC = inPod(A, "smcA", "/usr/bin/curl", "-s", "-o", "/dev/null",
                "http://10.77.2.2:8080/cgi-bin/slow?60");
        assertThat(Witness.await(Duration.ofMinutes(3), () -> {
            Optional<SmcSocketInfo> a = smc(Witness.smcDiagIn("smcA"), List.of(toC.pid()));
            List<Long> cPids = Witness.pidsBelow(cgroups, C);
            List<SmcSocketInfo> inC = Witness.smcDiagIn("smcC");
            boolean cTcpOnly = !cPids.isEmpty() && inC.isEmpty() && cPids.stream().allMatch(p -> {
                try {
                    return Witness.tcpInodes(Long.toString(p)).containsAll(Witness.sockets(p));
                } catch (IOException e) {
                    return false;
                }
            }) && cPids.stream().mapToLong(p -> Witness.sockets(p).size()).sum() >= 2;
            seen.set("A " + a + " C pids " + cPids + " smcC diag " + inC);
            return is(a, ConnectionMode.FALLBACK_TCP) && a.get().fallbackReason().equals(FallbackReason.PEERNOSMC)
                    && cTcpOnly;
        })).as("A to the unselected pod C is TCP: %s", seen).isTrue();
        toC.destroy(); // seen: no need to wait for the CGI's delay

        // a revision without the section detaches: A's new sockets are plain TCP again
        operator.publish(FleetConfig.builder(2).ueid("SMCVERTX-LAB").build(), key).toCompletableFuture()
                .get(2, TimeUnit.MINUTES);
        assertThat(Witness.await(Duration.ofMinutes(3), () -> {
            JsonObject s = service.statusJson().getJsonObject("status");
            return s.getLong("appliedRevision", 0L) == 2 && s.getJsonObject("transparent") == null
                    && UpgradeView.scan(Optional.empty()).isEmpty();
        })).as("detached after revision 2").isTrue();
        Process again = inPod(A, "smcA", "/usr/bin/curl", "-s", "-o", "/dev/null",
                "http://10.77.1.2:8080/cgi-bin/slow?60");
        assertThat(Witness.await(Duration.ofMinutes(3), () -> {
            Optional<Long> tcp = Witness.sockets(again.pid()).stream().filter(i -> {
                try {
                    return Witness.tcpInodes(Long.toString(again.pid())).contains(i);
                } catch (IOException e) {
                    return false;
                }
            }).findFirst();
            Optional<SmcSocketInfo> a = smc(Witness.smcDiagIn("smcA"), List.of(again.pid()));
            seen.set("curl sockets " + Witness.sockets(again.pid()) + " diag " + a);
            return tcp.isPresent() && a.isEmpty();
        })).as("after the detach pod A's curl makes a plain TCP socket: %s", seen).isTrue();
        again.destroy();
        serverB.destroy();
        serverC.destroy();
    }

    /** Starts an unmodified program in a pod: its container cgroup first, then its network namespace. */
    private static Process inPod(String pod, String netns, String... cmd) throws IOException {
        String container = pod + "/cri-containerd-" + pod.substring(pod.length() - 9, pod.length() - 6) + ".scope";
        // $0 the container's cgroup, $1 the namespace, then the command: join the cgroup, enter the namespace, exec
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c",
                "echo $$ > \"$0/cgroup.procs\" && ns=$1 && shift && exec ip netns exec \"$ns\" \"$@\"",
                cgroups.dir(container).toString(), netns));
        argv.addAll(List.of(cmd));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(dir.resolve(netns + "-" + cmd[0].replace('/', '_') + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    private static String log(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The first non-listening SMC socket in a namespace's dump that one of these processes holds. */
    private static Optional<SmcSocketInfo> smc(List<SmcSocketInfo> dump, List<Long> pids) {
        Set<Long> inodes = new HashSet<>();
        pids.forEach(p -> inodes.addAll(Witness.sockets(p)));
        return dump.stream().filter(s -> inodes.contains(s.inode()) && !s.isListener()).findFirst();
    }

    private static boolean is(Optional<SmcSocketInfo> s, ConnectionMode mode) {
        return s.isPresent() && s.get().mode() == mode;
    }

    private static void sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/bash", "-c", script).inheritIO().start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0).as("setup script:\n%s", script).isTrue();
    }
}
