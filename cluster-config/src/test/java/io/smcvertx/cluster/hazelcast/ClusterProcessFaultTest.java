package io.smcvertx.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.FleetConfig;
import io.smcvertx.cluster.FleetConfigJson;
import io.smcvertx.cluster.HostEnrollment;
import io.smcvertx.cluster.HostKey;
import io.smcvertx.cluster.HostReport;
import io.smcvertx.cluster.HostSlice;
import io.smcvertx.cluster.HostIdentity;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.SignedRevision;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.cluster.internal.DurableFile;
import io.smcvertx.cluster.internal.FaultPoints;
import io.smcvertx.transport.system.PnetEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three fleet hosts in three processes ({@link HostProcess}: a real Hazelcast member, the
 * store, the reconciler over a kernel that outlives its process), killed with SIGKILL at exact
 * points a test hook holds them at: during a publish (after the compare-and-set), in the middle
 * of applying a revision (after the third kernel write), and between the write-through file's
 * write and its rename. The test watches as an operator does, through a Hazelcast client, and
 * counts only host status that the host signed. No timing is asserted: every wait is for a state,
 * with generous limits (the machine is shared).
 */
class ClusterProcessFaultTest {

    static final Duration PATIENCE = Duration.ofMinutes(4);
    static final int N = 3;

    @TempDir
    Path dir;
    final String cluster = "fault-" + UUID.randomUUID();
    final OperatorKey operator = OperatorKey.generate();
    final TrustedKeys trust = TrustedKeys.of(operator.publicKey());
    List<Integer> ports;
    final Member[] members = new Member[N];
    HazelcastInstance client;
    HazelcastClusterConfigStore store;

    /** One member process: its stdin for commands, its stdout lines as they come. */
    static final class Member {
        final Process process;
        final PrintWriter in;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Member(Process p, Path log) {
            this.process = p;
            this.in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(l);
                        Files.writeString(log, l + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                                java.nio.file.StandardOpenOption.APPEND);
                    }
                } catch (IOException e) {
                    // the process died: its lines end here
                }
            });
        }

        void awaitLine(String line) {
            await().atMost(PATIENCE).alias("line `" + line + "` (got " + lines + ")").until(() -> lines.contains(line));
        }

        void send(String command) {
            in.println(command);
        }

        /** SIGKILL: no shutdown hook, no Hazelcast goodbye, no flush of anything. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
            assertThat(process.isAlive()).isFalse();
        }
    }

    @BeforeEach
    void keys() throws Exception {
        ports = TestCluster.freePorts(N);
        operator.save(dir.resolve("operator.key"), dir.resolve("operator.key.pub"));
        for (int i = 0; i < N; i++) {
            HostKey k = HostKey.generate();
            k.save(dir.resolve(host(i) + ".key"), dir.resolve(host(i) + ".key.pub"));
            HostEnrollment.enroll(host(i), k.publicKey(), operator).save(dir.resolve(host(i) + ".enrollment"));
        }
    }

    @AfterEach
    void stopAll() throws Exception {
        if (store != null) {
            store.close();
        }
        if (client != null) {
            client.shutdown();
        }
        for (Member m : members) {
            if (m != null) {
                m.kill();
            }
        }
    }

    static String host(int i) {
        return "host" + i;
    }

    private Member start(int i) throws IOException {
        List<String> cmd = HostProcess.command(System.getProperty("java.class.path"), cluster,
                String.valueOf(ports.get(i)), ports.stream().map(String::valueOf).collect(Collectors.joining(",")), host(i),
                dir.toString(), dir.resolve("operator.key").toString());
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve(host(i) + ".stderr").toFile()).start();
        members[i] = new Member(p, dir.resolve(host(i) + ".stdout"));
        return members[i];
    }

    private void startAll() throws IOException {
        for (int i = 0; i < N; i++) {
            start(i);
        }
        for (Member m : members) {
            m.awaitLine("READY");
        }
    }

    /** The operator's view: a Hazelcast client with a store that trusts the operator key (as smcctl). */
    private void operatorClient() throws Exception {
        client = FleetHazelcast.startClient(FleetHazelcast.clientConfig(cluster,
                ports.stream().map(p -> "127.0.0.1:" + p).toList()), PATIENCE);
        store = HazelcastClusterConfigStore.builder().instance(client).host("operator").trustedKeys(trust)
                .resyncInterval(Duration.ofSeconds(2)).start().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    private void publish(FleetConfig c) throws Exception {
        store.publish(c, operator).toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    /** Waits until each of {@code hosts} says, signed, that it applied {@code revision}; returns the map's revision. */
    private void awaitApplied(long revision, int... hosts) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            Map<String, HostReport> status = store.status().toCompletableFuture().get(60, TimeUnit.SECONDS);
            for (int h : hosts) {
                HostReport r = status.get(host(h));
                assertThat(r).as(host(h)).isNotNull();
                assertThat(r.trust()).as(host(h) + ": " + r.detail()).isEqualTo(HostReport.Trust.VERIFIED);
                assertThat(r.hasApplied(revision)).as(host(h) + ": " + r.status()).isTrue();
            }
        });
    }

    private long mapRevision() throws Exception {
        byte[] raw = store.storedEnvelope().toCompletableFuture().get(60, TimeUnit.SECONDS).orElseThrow();
        return SignedRevision.verify(raw, trust).revision();
    }

    /** What host {@code i}'s kernel holds, read from its file (its process may be dead). */
    private FileKernel.Snapshot kernel(int i) throws IOException {
        return FileKernel.read(dir.resolve(host(i) + ".kernel"));
    }

    private static void assertKernelIs(FileKernel.Snapshot k, FleetConfig c, String host) {
        HostSlice s = c.sliceFor(HostIdentity.of(host));
        assertThat(new HashSet<>(k.ueids())).as(host + " UEIDs").isEqualTo(s.ueids());
        assertThat(new HashSet<>(k.pnet())).as(host + " PNET").isEqualTo(s.pnet());
    }

    private static FleetConfig config(String json) {
        return FleetConfigJson.parse(json);
    }

    @Test
    void killedDuringAPublishDuringAnApplyAndBetweenWriteAndRenameNothingIsLostTornOrHalfApplied() throws Exception {
        startAll();
        operatorClient();
        FleetConfig r1 = config("{\"revision\":1,\"ueids\":[\"U1\"]}");
        publish(r1);
        awaitApplied(1, 0, 1, 2);

        // host2 publishes revision 2 and is killed right after its compare-and-set won
        members[2].send("hold " + FaultPoints.PUBLISH_AFTER_CAS);
        members[2].awaitLine("ARMED " + FaultPoints.PUBLISH_AFTER_CAS);
        FleetConfig r2 = config("{\"revision\":2,\"ueids\":[\"U1\",\"U2\"]}");
        members[2].send("publish " + new String(FleetConfigJson.canonical(r2), StandardCharsets.UTF_8));
        members[2].awaitLine("HELD " + FaultPoints.PUBLISH_AFTER_CAS);
        members[2].kill();
        // the survivors converge on one revision: the one the map holds (the CAS had won: 2)
        awaitApplied(2, 0, 1);
        assertThat(mapRevision()).isEqualTo(2);
        assertKernelIs(kernel(0), r2, host(0));
        assertKernelIs(kernel(1), r2, host(1));
        assertKernelIs(kernel(2), r1, host(2)); // host2 died before it accepted its own revision

        // host1 is killed in the middle of applying revision 3: after its third kernel write from now on
        members[1].send("hold kernel.after-write 3");
        members[1].awaitLine("ARMED kernel.after-write");
        FleetConfig r3 = config("{\"revision\":3,\"ueids\":[\"U3\",\"U4\"],"
                + "\"pnet\":[{\"pnetId\":\"NET1\",\"ethName\":\"eth1\"},{\"pnetId\":\"NET2\",\"ethName\":\"eth2\"}]}");
        publish(r3);
        members[1].awaitLine("HELD kernel.after-write");
        members[1].kill();
        FileKernel.Snapshot half = kernel(1);
        assertThat(half.ueids()).as("U1 and U2 removed, U3 and U4 not added yet").isEmpty();
        assertThat(half.pnet()).as("NET1 added, NET2 not yet").containsExactly(PnetEntry.ethernet("NET1", "eth1"));
        awaitApplied(3, 0);

        // while hosts 1 and 2 are down the fleet moves on: revision 4 drops NET1
        FleetConfig r4 = config("{\"revision\":4,\"ueids\":[\"U3\",\"U4\"],\"pnet\":[{\"pnetId\":\"NET2\",\"ethName\":\"eth2\"}]}");
        publish(r4);
        awaitApplied(4, 0);

        // both come back and catch up from the cluster; host1 also removes the NET1 its dead process added
        start(2).awaitLine("READY");
        start(1).awaitLine("READY");
        awaitApplied(4, 0, 1, 2);
        for (int i = 0; i < N; i++) {
            assertKernelIs(kernel(i), r4, host(i));
        }
        assertThat(kernel(1).pnet()).doesNotContain(PnetEntry.ethernet("NET1", "eth1"));
        assertThat(mapRevision()).isEqualTo(4);

        // the same cluster (one JVM start saved is a minute of CI): killed between the write-through
        // file's write and its rename, all three at once, then restarted from their files
        killedBetweenTheWriteThroughFilesWriteAndRenameNoFileIsTornAndAFullRestartComesBack(r4);
    }

    private void killedBetweenTheWriteThroughFilesWriteAndRenameNoFileIsTornAndAFullRestartComesBack(FleetConfig r1)
            throws Exception {
        long base = r1.revision();
        for (Member m : members) {
            m.send("hold " + FaultPoints.STATE_FILE_BEFORE_RENAME);
            m.awaitLine("ARMED " + FaultPoints.STATE_FILE_BEFORE_RENAME);
        }
        FleetConfig r2 = FleetConfig.builder(base + 1).ueid("U1").ueid("U2").build();
        publish(r2); // the compare-and-set succeeds; every member then writes its file...
        for (Member m : members) {
            m.awaitLine("HELD " + FaultPoints.STATE_FILE_BEFORE_RENAME);
        }
        for (Member m : members) {
            m.kill(); // ...and dies before the rename: the whole cluster is gone
        }
        store.close(); // the operator's tool ends too (as smcctl does): nobody remembers the new revision in memory
        client.shutdown();
        for (int i = 0; i < N; i++) {
            Path file = dir.resolve(host(i) + ".revision");
            assertThat(SignedRevision.verify(Files.readAllBytes(file), trust).config()).as("whole, and the old one").isEqualTo(r1);
            assertThat(SignedRevision.verify(Files.readAllBytes(DurableFile.temporary(file)), trust).config())
                    .as("the new one was written in full, beside it").isEqualTo(r2);
            assertKernelIs(kernel(i), r1, host(i)); // accepted only once durable: no reconciler saw the new revision
        }

        // a full restart: the map starts empty, every member's file puts the previous revision back
        startAll();
        operatorClient();
        awaitApplied(base, 0, 1, 2);
        assertThat(mapRevision()).isEqualTo(base);
        for (int i = 0; i < N; i++) {
            assertThat(DurableFile.temporary(dir.resolve(host(i) + ".revision"))).doesNotExist();
            assertKernelIs(kernel(i), r1, host(i));
        }
        // the new revision never became durable anywhere: it is lost, and the operator publishes it again
        publish(r2);
        awaitApplied(base + 1, 0, 1, 2);
        for (int i = 0; i < N; i++) {
            assertKernelIs(kernel(i), r2, host(i));
        }
    }
}
