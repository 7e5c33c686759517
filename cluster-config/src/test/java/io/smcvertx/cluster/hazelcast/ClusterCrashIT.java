package io.smcvertx.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.FleetConfig;
import io.smcvertx.cluster.HostEnrollment;
import io.smcvertx.cluster.HostKey;
import io.smcvertx.cluster.HostReport;
import io.smcvertx.cluster.HostSelector;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.Ueid;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The crash of {@link ClusterProcessFaultTest} once against the lab's real kernel: a reconciler in
 * a process of its own ({@link MemberProcess} with the {@code netlink} kernel) is SIGKILLed after
 * the third netlink write of a revision; the kernel (by its own netlink word) then holds part of
 * it. Restarted, the reconciler completes the revision the cluster wants by then and removes what
 * the dead process added and that revision drops. The kernel's UEIDs and PNET table are saved
 * first and put back afterwards, whatever happens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterCrashIT {

    private static final SmcKernel K = SmcKernel.netlink(Duration.ofSeconds(60));
    /** TCG: a JVM takes a minute or more to start in the guest. */
    private static final Duration PATIENCE = Duration.ofMinutes(6);
    private static final String HOST = "lab-crash";
    private static final String NETDEV = "smcvxcrash0";

    private List<Ueid> savedUeids;
    private List<PnetEntry> savedPnet;
    private boolean netdevCreated;
    private Path dir;
    private HazelcastInstance hz;
    private HazelcastClusterConfigStore store;
    private final OperatorKey operator = OperatorKey.generate();
    private final String cluster = "crash-it-" + UUID.randomUUID();
    private List<Integer> ports;
    private Process child;

    @BeforeAll
    void start() throws Exception {
        try {
            savedUeids = K.ueids();
            savedPnet = K.pnetTable();
        } catch (IOException | RuntimeException e) {
            if (Boolean.getBoolean("smcvertx.lab")) {
                Assertions.fail("the lab guest has no SMC netlink: " + e.getMessage());
            }
            Assumptions.abort("needs kernel SMC: " + e.getMessage());
        }
        K.flushUeids();
        K.flushPnet();
        ip("link", "add", NETDEV, "type", "dummy");
        netdevCreated = true;
        dir = Files.createTempDirectory("crash-it");
        operator.save(dir.resolve("operator.key"), dir.resolve("operator.key.pub"));
        HostKey k = HostKey.generate();
        k.save(dir.resolve(HOST + ".key"), dir.resolve(HOST + ".key.pub"));
        HostEnrollment.enroll(HOST, k.publicKey(), operator).save(dir.resolve(HOST + ".enrollment"));
        ports = TestCluster.freePorts(2);
        hz = Hazelcast.newHazelcastInstance(LoopbackHazelcast.memberConfig(cluster, ports.get(0), ports));
        store = HazelcastClusterConfigStore.builder().instance(hz).host("operator")
                .trustedKeys(TrustedKeys.of(operator.publicKey())).resyncInterval(Duration.ofSeconds(5))
                .start().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (child != null) {
                child.destroyForcibly();
                child.waitFor(1, TimeUnit.MINUTES);
            }
            if (store != null) {
                store.close();
            }
            if (hz != null) {
                hz.getLifecycleService().terminate();
            }
        } finally {
            try {
                if (savedUeids != null) {
                    K.flushUeids();
                    for (Ueid u : savedUeids) {
                        K.addUeid(u);
                    }
                }
            } finally {
                try {
                    if (savedPnet != null) {
                        K.flushPnet();
                        for (PnetEntry e : savedPnet) {
                            K.addPnet(e);
                        }
                    }
                } finally {
                    if (netdevCreated) {
                        ip("link", "del", NETDEV);
                    }
                }
            }
        }
    }

    /** The reconciler's process: its stdout lines, its stdin for commands. */
    private List<String> startChild() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String[] own = ProcessHandle.current().info().arguments().orElse(new String[0]);
        for (int k = 0; k < own.length; k++) {
            if (own[k].equals("--add-opens") || own[k].equals("--add-exports")) {
                cmd.add(own[k]);
                cmd.add(own[++k]);
            } else if (own[k].startsWith("--enable-native-access") || own[k].startsWith("-XX:")) {
                cmd.add(own[k]);
            }
        }
        String cp = System.getProperty("smcvertx.lab.classpath", System.getProperty("java.class.path"));
        cmd.addAll(List.of("-Xmx256m", "-cp", cp, MemberProcess.class.getName(), cluster, String.valueOf(ports.get(1)),
                ports.get(0) + "," + ports.get(1), HOST, dir.toString(), dir.resolve("operator.key").toString(), "netlink"));
        child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Process p = child;
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // it died
            }
        });
        await().atMost(PATIENCE).alias("child READY (got " + lines + ")").until(() -> lines.contains("READY"));
        return lines;
    }

    private void awaitApplied(long revision) {
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
            HostReport r = store.status().toCompletableFuture().get(1, TimeUnit.MINUTES).get(HOST);
            assertThat(r).isNotNull();
            assertThat(r.verified()).as(r.detail()).isTrue();
            assertThat(r.hasApplied(revision)).as(String.valueOf(r.status())).isTrue();
        });
    }

    @Test
    void killedInTheMiddleOfARevisionTheRealKernelIsCompletedAndCleanedUpAfterTheRestart() throws Exception {
        HostSelector me = HostSelector.names(HOST);
        List<String> lines = startChild();
        FleetConfig r1 = FleetConfig.builder(1).ueid("CRASH-A", me).ueid("CRASH-B", me).build();
        store.publish(r1, operator).toCompletableFuture().get(2, TimeUnit.MINUTES);
        awaitApplied(1);
        assertThat(K.ueids()).containsExactlyInAnyOrder(Ueid.of("CRASH-A"), Ueid.of("CRASH-B"));

        PrintWriter in = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8);
        in.println("hold kernel.after-write 3");
        await().atMost(PATIENCE).until(() -> lines.contains("ARMED kernel.after-write"));
        // revision 2: both UEIDs go (2 writes), NET on the dummy netdev comes (3rd), CRASH-C would be 4th
        FleetConfig r2 = FleetConfig.builder(2).ueid("CRASH-C", me).pnet(PnetEntry.ethernet("SMCVXCRASH", NETDEV), me).build();
        store.publish(r2, operator).toCompletableFuture().get(2, TimeUnit.MINUTES);
        await().atMost(PATIENCE).until(() -> lines.contains("HELD kernel.after-write"));
        child.destroyForcibly();
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(K.ueids()).as("the kernel's own word: half of revision 2").isEmpty();
        assertThat(K.pnetTable()).containsExactly(PnetEntry.ethernet("SMCVXCRASH", NETDEV));

        // the fleet moves on without the PNET entry; the restarted reconciler removes the one its dead process added
        FleetConfig r3 = FleetConfig.builder(3).ueid("CRASH-C", me).build();
        store.publish(r3, operator).toCompletableFuture().get(2, TimeUnit.MINUTES);
        startChild();
        awaitApplied(3);
        assertThat(K.ueids()).containsExactly(Ueid.of("CRASH-C"));
        assertThat(K.pnetTable()).isEmpty();
    }

    private static void ip(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Files.exists(Path.of("/usr/sbin/ip")) ? "/usr/sbin/ip" : "/sbin/ip");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}
