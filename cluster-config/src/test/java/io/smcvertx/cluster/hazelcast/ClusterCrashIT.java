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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The crash of {@link ClusterProcessFaultTest} once against the lab's real kernel: a node's store
 * and reconciler in a process of its own ({@link HostProcess} with the {@code netlink} kernel, a
 * Hazelcast client of this JVM's member, as a node in client mode) is SIGKILLed after
 * the third netlink write of a revision; the kernel (by its own netlink word) then holds part of
 * it. Restarted, the reconciler completes the revision the cluster wants by then and removes what
 * the dead process added and that revision drops. The kernel's UEIDs and PNET table are saved
 * first and put back afterwards, whatever happens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterCrashIT {

    private static final SmcKernel K = SmcKernel.netlink(Duration.ofSeconds(60));
    /** TCG on a busy host: a JVM with Hazelcast took 3-9 minutes to be ready in the guest. */
    private static final Duration PATIENCE = Duration.ofMinutes(15);
    private static final String HOST = "lab-crash";
    private static final String NETDEV = "smcvxcrash0";

    private LabKernelState saved;
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
        saved = LabKernelState.takeOver(K);
        LabKernelState.ip("link", "add", NETDEV, "type", "dummy");
        netdevCreated = true;
        dir = Files.createTempDirectory("crash-it");
        operator.save(dir.resolve("operator.key"), dir.resolve("operator.key.pub"));
        HostKey k = HostKey.generate();
        k.save(dir.resolve(HOST + ".key"), dir.resolve(HOST + ".key.pub"));
        HostEnrollment.enroll(HOST, k.publicKey(), operator).save(dir.resolve(HOST + ".enrollment"));
        ports = TestCluster.freePorts(1);
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
                if (saved != null) {
                    saved.restore();
                }
            } finally {
                if (netdevCreated) {
                    LabKernelState.ip("link", "del", NETDEV);
                }
            }
        }
    }

    /** The reconciler's process: its stdout lines, its stdin for commands. */
    private List<String> startChild() throws IOException {
        // the harness loads test classes in its own loader: the class path comes from its property
        String cp = System.getProperty("smcvertx.lab.classpath", System.getProperty("java.class.path"));
        List<String> cmd = HostProcess.command(cp, cluster, "0", String.valueOf(ports.get(0)),
                HOST, dir.toString(), dir.resolve("operator.key").toString(), "netlink", "client");
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
    @Timeout(value = 30, unit = TimeUnit.MINUTES) // two child JVMs under TCG: beyond the harness's 8-minute default
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
}
