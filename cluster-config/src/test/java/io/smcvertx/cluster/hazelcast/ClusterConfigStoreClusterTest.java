package io.smcvertx.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.map.IMap;
import io.smcvertx.cluster.ConfigConflictException;
import io.smcvertx.cluster.FleetConfig;
import io.smcvertx.cluster.HostReport;
import io.smcvertx.transport.system.testing.InMemorySmcSystem;
import io.smcvertx.cluster.RevisionRejectedException;
import io.smcvertx.cluster.SignedRevision;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.Ueid;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real members on 127.0.0.1 sharing one cluster for the whole class (members are slow to
 * start): publishing, races between publishers, and values written around the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterConfigStoreClusterTest {

    static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    TestCluster cluster;
    final List<InMemorySmcSystem> kernels = new ArrayList<>();

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new TestCluster(3, dir);
        for (int i = 0; i < 3; i++) {
            InMemorySmcSystem k = new InMemorySmcSystem();
            kernels.add(k);
            cluster.start(i, k);
        }
        await().atMost(PATIENCE).until(() -> cluster.nodes.get(0).hz.getCluster().getMembers().size() == 3);
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    private long currentRevision() {
        return cluster.nodes.get(0).store.current().map(SignedRevision::revision).orElse(0L);
    }

    private void awaitAllApplied(long revision) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Map<String, HostReport> status = cluster.nodes.get(2).store.status().toCompletableFuture().get();
            assertThat(status).containsKeys("host0", "host1", "host2");
            for (String h : List.of("host0", "host1", "host2")) {
                assertThat(status.get(h).hasApplied(revision)).as(h + ": " + status.get(h)).isTrue();
            }
        });
    }

    @Test
    @Order(1)
    void publishedOnOneMemberIsAppliedOnAll() throws Exception {
        FleetConfig c1 = FleetConfig.builder(1)
                .pnet(PnetEntry.ethernet("NET1", "eth0"))
                .ueid("SMCVERTX-TEST")
                .sysctl("net.smc.wmem", "524288")
                .build();
        SignedRevision r = cluster.nodes.get(0).store.publish(c1, cluster.key).toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        assertThat(r.revision()).isEqualTo(1);
        awaitAllApplied(1);
        for (InMemorySmcSystem k : kernels) {
            assertThat(k.pnetTable()).containsExactly(PnetEntry.ethernet("NET1", "eth0"));
            assertThat(k.ueids()).containsExactly(Ueid.of("SMCVERTX-TEST"));
            assertThat(k.sysctls()).containsEntry("wmem", "524288");
        }
        for (TestCluster.Node n : cluster.nodes) {
            assertThat(n.store.current()).contains(r);
        }

        // the next revision moves eth0 to NET2 and drops the UEID: removal, then addition
        FleetConfig c2 = FleetConfig.builder(2).pnet(PnetEntry.ethernet("NET2", "eth0")).build();
        cluster.nodes.get(1).store.publish(c2, cluster.key).toCompletableFuture().get(60, TimeUnit.SECONDS);
        awaitAllApplied(2);
        for (InMemorySmcSystem k : kernels) {
            assertThat(k.pnetTable()).containsExactly(PnetEntry.ethernet("NET2", "eth0"));
            assertThat(k.ueids()).isEmpty();
        }
    }

    @Test
    @Order(2)
    void twoPublishesOfTheSameBaseOneWinsOneConflicts() throws Exception {
        long base = currentRevision();
        FleetConfig a = FleetConfig.builder(base + 1).ueid("FROM-A").build();
        FleetConfig b = FleetConfig.builder(base + 1).ueid("FROM-B").build();
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<SignedRevision> fa = CompletableFuture.supplyAsync(() -> {
            awaitLatch(go);
            return cluster.nodes.get(0).store.publish(a, cluster.key).toCompletableFuture().join();
        });
        CompletableFuture<SignedRevision> fb = CompletableFuture.supplyAsync(() -> {
            awaitLatch(go);
            return cluster.nodes.get(1).store.publish(b, cluster.key).toCompletableFuture().join();
        });
        go.countDown();
        List<Throwable> failures = new ArrayList<>();
        List<SignedRevision> wins = new ArrayList<>();
        for (CompletableFuture<SignedRevision> f : List.of(fa, fb)) {
            try {
                wins.add(f.get(60, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                failures.add(e.getCause().getCause() != null ? e.getCause().getCause() : e.getCause());
            }
        }
        assertThat(wins).hasSize(1);
        assertThat(failures).singleElement().isInstanceOfSatisfying(ConfigConflictException.class, e -> {
            assertThat(e.attemptedRevision()).isEqualTo(base + 1);
            assertThat(e.currentRevision()).isEqualTo(base + 1);
            // the loser is caught either at the atomic replace (the winner got there first) or, when
            // the winner finished before the loser started, by the pre-check on the base revision
            assertThat(e.getMessage()).containsAnyOf("got there first", "cannot follow revision " + (base + 1));
        });
        String winner = wins.getFirst().config().ueids().getFirst().ueid().value();
        awaitAllApplied(base + 1);
        for (InMemorySmcSystem k : kernels) {
            assertThat(k.ueids()).containsExactly(Ueid.of(winner));
        }

        // and a publish from an old base is a conflict too, before anything is written
        assertThatThrownBy(() -> cluster.nodes.get(2).store.publish(FleetConfig.builder(base + 1).build(), cluster.key)
                .toCompletableFuture().get(60, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ConfigConflictException.class)
                .hasMessageContaining("publish revision " + (base + 2));
    }

    @Test
    @Order(3)
    void tamperedAndUnsignedRevisionsAreRefusedAndReported() throws Exception {
        long base = currentRevision();
        List<Ueid> before = kernels.getFirst().ueids();
        IMap<String, byte[]> raw = cluster.nodes.get(0).hz.getMap(HazelcastClusterConfigStore.DEFAULT_CONFIG_MAP);

        // a correctly signed revision whose payload is then edited in the map
        SignedRevision honest = SignedRevision.sign(FleetConfig.builder(base + 1).ueid("HONEST").build(), cluster.key);
        String env = new String(honest.encoded(), StandardCharsets.UTF_8);
        String evilPayload = new String(honest.payload(), StandardCharsets.UTF_8).replace("HONEST", "EVIL");
        String tampered = env.replaceFirst("\"payload\":\"[^\"]*\"", "\"payload\":\""
                + Base64.getEncoder().encodeToString(evilPayload.getBytes(StandardCharsets.UTF_8)) + "\"");
        raw.set(HazelcastClusterConfigStore.KEY, tampered.getBytes(StandardCharsets.UTF_8));
        awaitRejected(RevisionRejectedException.Reason.BAD_SIGNATURE, "tampered");

        // no signature at all
        String unsigned = env.replaceFirst(",\"signature\":\"[^\"]*\"", "");
        raw.set(HazelcastClusterConfigStore.KEY, unsigned.getBytes(StandardCharsets.UTF_8));
        awaitRejected(RevisionRejectedException.Reason.UNSIGNED, "not signed");

        for (TestCluster.Node n : cluster.nodes) {
            assertThat(n.store.current().orElseThrow().revision()).isEqualTo(base);
        }
        for (InMemorySmcSystem k : kernels) {
            assertThat(k.ueids()).isEqualTo(before);
        }
        // the garbage does not lock operators out: the next signed revision replaces it
        cluster.nodes.get(0).store.publish(FleetConfig.builder(base + 1).ueid("HONEST").build(), cluster.key)
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
        awaitAllApplied(base + 1);
        assertThat(kernels.get(2).ueids()).containsExactly(Ueid.of("HONEST"));
    }

    private void awaitRejected(RevisionRejectedException.Reason reason, String text) {
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (TestCluster.Node n : cluster.nodes) {
                assertThat(n.store.lastRejection()).hasValueSatisfying(r -> {
                    assertThat(r.reason()).isEqualTo(reason);
                    assertThat(r.host()).isEqualTo(n.host);
                });
            }
            Map<String, HostReport> status = cluster.nodes.get(1).store.status().toCompletableFuture().get();
            for (String h : List.of("host0", "host1", "host2")) {
                assertThat(status.get(h).status().orElseThrow().rejected()).hasValueSatisfying(s -> assertThat(s).contains(text));
            }
        });
    }

    private static void awaitLatch(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
