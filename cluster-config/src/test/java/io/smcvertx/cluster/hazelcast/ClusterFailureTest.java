package io.smcvertx.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.map.IMap;
import io.smcvertx.cluster.FleetConfig;
import io.smcvertx.cluster.HostReport;
import io.smcvertx.transport.system.testing.InMemorySmcSystem;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.SignedRevision;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.Ueid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Members die: one in the middle of a publish, then all of them. */
class ClusterFailureTest {

    static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void survivorsConvergeWhenAMemberDiesDuringItsPublish() throws Exception {
        try (TestCluster c = new TestCluster(3, dir)) {
            for (int i = 0; i < 3; i++) {
                c.start(i, new InMemorySmcSystem());
            }
            await().atMost(PATIENCE).until(() -> c.nodes.get(0).hz.getCluster().getMembers().size() == 3);
            c.nodes.get(0).store.publish(FleetConfig.builder(1).ueid("BEFORE").build(), c.key)
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
            await().atMost(PATIENCE).until(() -> c.nodes.stream()
                    .allMatch(n -> n.store.current().map(SignedRevision::revision).orElse(0L) == 1));

            TestCluster.Node victim = c.nodes.get(2);
            CompletionStage<SignedRevision> inFlight = victim.store.publish(
                    FleetConfig.builder(2).ueid("DURING").build(), c.key);
            victim.hz.getLifecycleService().terminate();
            victim.reconciler.close();
            victim.store.close();
            c.nodes.remove(victim);
            inFlight.toCompletableFuture().handle((ok, err) -> null).get(60, TimeUnit.SECONDS);

            TestCluster.Node a = c.nodes.get(0);
            TestCluster.Node b = c.nodes.get(1);
            IMap<String, byte[]> map = a.hz.getMap(HazelcastClusterConfigStore.DEFAULT_CONFIG_MAP);
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                long stored = SignedRevision.verify(map.get(HazelcastClusterConfigStore.KEY), c.trust).revision();
                assertThat(a.store.current().orElseThrow().revision()).isEqualTo(stored);
                assertThat(b.store.current().orElseThrow().revision()).isEqualTo(stored);
                Map<String, HostReport> status = a.store.status().toCompletableFuture().get();
                assertThat(status.get("host0").hasApplied(stored)).as("%s", status.get("host0")).isTrue();
                assertThat(status.get("host1").hasApplied(stored)).as("%s", status.get("host1")).isTrue();
            });
            assertThat(a.store.current()).isEqualTo(b.store.current());
            assertThat(a.kernel.ueids()).isEqualTo(b.kernel.ueids()).hasSize(1);
            assertThat(a.store.current().orElseThrow().revision()).isIn(1L, 2L);

            // and the survivors keep working: the next revision goes through
            long next = a.store.current().orElseThrow().revision() + 1;
            b.store.publish(FleetConfig.builder(next).ueid("AFTER").build(), c.key).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            await().atMost(PATIENCE).until(() -> a.kernel.ueids().equals(List.of(Ueid.of("AFTER"))));
        }
    }

    @Test
    void aFullRestartRestoresTheLastRevisionFromTheFiles() throws Exception {
        OperatorKey key = OperatorKey.generate();
        FleetConfig c2 = FleetConfig.builder(2).pnet(PnetEntry.ethernet("NET7", "eth1")).ueid("KEPT").build();
        try (TestCluster c = new TestCluster(3, dir, key)) {
            for (int i = 0; i < 3; i++) {
                c.start(i, new InMemorySmcSystem());
            }
            await().atMost(PATIENCE).until(() -> c.nodes.get(0).hz.getCluster().getMembers().size() == 3);
            c.nodes.get(0).store.publish(FleetConfig.builder(1).ueid("OLD").build(), key).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            c.nodes.get(1).store.publish(c2, key).toCompletableFuture().get(60, TimeUnit.SECONDS);
            await().atMost(PATIENCE).until(() -> c.nodes.stream()
                    .allMatch(n -> n.store.current().map(SignedRevision::revision).orElse(0L) == 2));
        }
        // every member is gone; each left its file
        for (int i = 0; i < 3; i++) {
            assertThat(dir.resolve("host" + i + ".revision")).exists();
            assertThat(Files.size(dir.resolve("host" + i + ".revision"))).isPositive();
        }
        try (TestCluster again = new TestCluster(3, dir, key)) {
            InMemorySmcSystem[] kernels = new InMemorySmcSystem[3];
            for (int i = 0; i < 3; i++) {
                kernels[i] = new InMemorySmcSystem();
                again.start(i, kernels[i]);
            }
            IMap<String, byte[]> map = again.nodes.get(0).hz.getMap(HazelcastClusterConfigStore.DEFAULT_CONFIG_MAP);
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(SignedRevision.verify(map.get(HazelcastClusterConfigStore.KEY), again.trust).config())
                        .isEqualTo(c2);
                for (TestCluster.Node n : again.nodes) {
                    assertThat(n.store.current().orElseThrow().config()).isEqualTo(c2);
                    assertThat(n.reconciler.lastStatus()).hasValueSatisfying(s -> assertThat(s.hasApplied(2)).isTrue());
                }
            });
            for (InMemorySmcSystem k : kernels) {
                assertThat(k.pnetTable()).containsExactly(PnetEntry.ethernet("NET7", "eth1"));
                assertThat(k.ueids()).containsExactly(Ueid.of("KEPT"));
            }
        }
    }
}
