package io.smcvertx.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.ConfigReconciler;
import io.smcvertx.cluster.FleetConfig;
import io.smcvertx.cluster.HostIdentity;
import io.smcvertx.cluster.HostStatus;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.SignedRevision;
import io.smcvertx.cluster.StateFileException;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.cluster.internal.AppliedJournal;
import io.smcvertx.cluster.internal.DurableFile;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.Ueid;
import io.smcvertx.transport.system.testing.InMemorySmcSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local files a member starts from: the store's write-through file and the reconciler's
 * journal. A file that does not verify stops the start with a message naming it and the problem;
 * what a crash between write and rename leaves is cleaned up and the previous content is used
 * (the crash itself, in another process, is in {@link ClusterProcessFaultTest}). One real member.
 */
class StateFileTest {

    static HazelcastInstance hz;
    final OperatorKey key = OperatorKey.generate();
    final TrustedKeys trust = TrustedKeys.of(key.publicKey());

    @TempDir
    Path dir;

    @BeforeAll
    static void member() throws Exception {
        int port = TestCluster.freePorts(1).getFirst();
        hz = Hazelcast.newHazelcastInstance(LoopbackHazelcast.memberConfig("statefile-" + UUID.randomUUID(), port,
                List.of(port)));
    }

    @AfterAll
    static void stop() {
        hz.getLifecycleService().terminate();
    }

    private HazelcastClusterConfigStore.Builder store(TestInfo info, Path stateFile) {
        String name = info.getTestMethod().orElseThrow().getName();
        return HazelcastClusterConfigStore.builder().instance(hz).host("h1").trustedKeys(trust)
                .configMapName(HazelcastClusterConfigStore.DEFAULT_CONFIG_MAP + "-" + name).statusMapName("status-" + name)
                .stateFile(stateFile);
    }

    private static Throwable startFailure(HazelcastClusterConfigStore.Builder b) throws Exception {
        try {
            b.start().toCompletableFuture().get(60, TimeUnit.SECONDS).close();
            throw new AssertionError("the store started");
        } catch (ExecutionException | CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    void corruptUnsignedTamperedAndForeignFilesAreRefusedNamingFileAndProblem(TestInfo info) throws Exception {
        Path file = dir.resolve("fleet.revision");
        String good = new String(SignedRevision.sign(FleetConfig.builder(3).ueid("KEPT").build(), key).encoded(),
                StandardCharsets.UTF_8);
        String[][] cases = {
            {good.substring(0, good.length() / 2), "not a readable envelope"},   // torn: what an in-place write could leave
            {"", "not a smcvertx-fleet-config/1 envelope"},
            {good.replaceFirst(",\"signature\":\"[^\"]*\"", ""), "revision 3 is not signed"},
            {good.replaceFirst("\"signature\":\"[A-Za-z0-9+/]{8}", "\"signature\":\"AAAAAAAA"), "tampered with"},
            {new String(SignedRevision.sign(FleetConfig.builder(3).build(), OperatorKey.generate()).encoded(),
                    StandardCharsets.UTF_8), "does not trust"},
        };
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            Throwable t = startFailure(store(info, file));
            assertThat(t).as(c[1]).isInstanceOf(StateFileException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining(c[1])
                    .hasMessageContaining("move the file aside");
            assertThat(((StateFileException) t).file()).isEqualTo(file);
            assertThat(Files.readString(file)).as("a refused file is left as it was, for the operator").isEqualTo(c[0]);
        }
        Files.writeString(file, good);
        try (HazelcastClusterConfigStore s = store(info, file).start().toCompletableFuture().get(60, TimeUnit.SECONDS)) {
            assertThat(s.current().map(SignedRevision::revision)).contains(3L);
        }
    }

    @Test
    void whatAnInterruptedWriteLeftIsRemovedAndTheWholeFileUsed(TestInfo info) throws Exception {
        Path file = dir.resolve("fleet.revision");
        Files.write(file, SignedRevision.sign(FleetConfig.builder(1).ueid("OLD").build(), key).encoded());
        byte[] next = SignedRevision.sign(FleetConfig.builder(2).ueid("NEW").build(), key).encoded();
        Files.write(DurableFile.temporary(file), java.util.Arrays.copyOf(next, next.length / 3));
        try (HazelcastClusterConfigStore s = store(info, file).start().toCompletableFuture().get(60, TimeUnit.SECONDS)) {
            assertThat(s.current().map(SignedRevision::revision)).contains(1L);
            assertThat(DurableFile.temporary(file)).doesNotExist();
            // and the next accepted revision replaces the file whole
            s.publish(FleetConfig.builder(2).ueid("NEW").build(), key).toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertThat(SignedRevision.verify(Files.readAllBytes(file), trust).revision()).isEqualTo(2);
            assertThat(DurableFile.temporary(file)).doesNotExist();
        }
    }

    @Test
    void aJournalThatDoesNotVerifyStopsTheReconcilerNamingIt(TestInfo info) throws Exception {
        Path journal = dir.resolve("fleet.revision.applied");
        try (HazelcastClusterConfigStore s = store(info, dir.resolve("fleet.revision")).start().toCompletableFuture()
                .get(60, TimeUnit.SECONDS)) {
            String[][] cases = {
                {"{\"format\":\"smcvertx-applied/1\",\"applied\":\"bm90IGEgcmV2aXNpb24=\",\"applying\":[]}", "`applied`"},
                {"{\"revision\":1,\"ueids\":[\"A\"]}", "not a smcvertx-applied/1 journal"},
                {"{\"format\":\"smcvertx-applied/1\",\"applied\":null,\"applying\":[\"" + java.util.Base64.getEncoder()
                        .encodeToString(SignedRevision.sign(FleetConfig.builder(1).build(), OperatorKey.generate()).encoded())
                        + "\"]}", "`applying[0]`"},
                {"{\"format\":\"smcvertx-applied/1\",\"app", "not JSON"},
            };
            for (String[] c : cases) {
                Files.writeString(journal, c[0]);
                assertThatThrownBy(() -> ConfigReconciler.builder(s, new InMemorySmcSystem(), HostIdentity.of("h1"))
                        .appliedFile(journal).start())
                        .as(c[1]).isInstanceOf(StateFileException.class)
                        .hasMessageContaining(journal.toString()).hasMessageContaining(c[1]);
            }
        }
    }

    @Test
    void aRestartedReconcilerRemovesWhatAnInterruptedRevisionLeftAndCompletesTheCurrentOne(TestInfo info) throws Exception {
        // the kernel as a crash in the middle of revision 2 left it: revision 1 fully, part of revision 2
        SignedRevision r1 = SignedRevision.sign(FleetConfig.builder(1).ueid("ONE").build(), key);
        SignedRevision r2 = SignedRevision.sign(FleetConfig.builder(2).ueid("ONE").ueid("TWO")
                .pnet(PnetEntry.ethernet("NET2", "eth2")).build(), key);
        InMemorySmcSystem kernel = new InMemorySmcSystem();
        kernel.addUeid(Ueid.of("ONE"));
        kernel.addPnet(PnetEntry.ethernet("NET2", "eth2")); // done before the crash; UEID TWO was not
        kernel.addPnet(PnetEntry.ethernet("HAND", "eth9")); // made by hand: not the reconciler's
        Path journal = dir.resolve("fleet.revision.applied");
        new AppliedJournal(journal, trust).write(new AppliedJournal.Entry(Optional.of(r1), List.of(r2)));

        try (HazelcastClusterConfigStore s = store(info, dir.resolve("fleet.revision")).start().toCompletableFuture()
                .get(60, TimeUnit.SECONDS)) {
            // meanwhile the cluster moved on: revision 3 keeps neither NET2 nor ONE
            s.publish(SignedRevision.sign(FleetConfig.builder(1).ueid("ONE").build(), key)).toCompletableFuture().get(60, TimeUnit.SECONDS);
            s.publish(SignedRevision.sign(FleetConfig.builder(2).ueid("THREE").build(), key)).toCompletableFuture().get(60, TimeUnit.SECONDS);
            s.publish(SignedRevision.sign(FleetConfig.builder(3).ueid("THREE").build(), key)).toCompletableFuture().get(60, TimeUnit.SECONDS);
            try (ConfigReconciler r = ConfigReconciler.builder(s, kernel, HostIdentity.of("h1")).writable(() -> true)
                    .interval(Duration.ofHours(1)).appliedFile(journal).start()) {
                HostStatus st = r.reconcileNow().toCompletableFuture().get(60, TimeUnit.SECONDS);
                assertThat(kernel.ueids()).containsExactly(Ueid.of("THREE"));
                assertThat(kernel.pnetTable()).as("NET2 came from the interrupted revision: removed; HAND stays")
                        .containsExactly(PnetEntry.ethernet("HAND", "eth9"));
                assertThat(st.appliedRevision()).isEqualTo(3);
                assertThat(st.drift()).containsExactly("PNET HAND eth eth9 in the kernel but not in revision 3");
            }
            AppliedJournal.Entry after = new AppliedJournal(journal, trust).load();
            assertThat(after.applied().map(SignedRevision::revision)).contains(3L);
            assertThat(after.applying()).isEmpty();
        }
    }
}
