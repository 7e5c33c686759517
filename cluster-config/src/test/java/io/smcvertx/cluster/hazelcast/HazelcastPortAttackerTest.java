package io.smcvertx.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.smcvertx.cluster.ConfigReconciler;
import io.smcvertx.cluster.FleetConfig;
import io.smcvertx.cluster.HostEnrollment;
import io.smcvertx.cluster.HostIdentity;
import io.smcvertx.cluster.HostKey;
import io.smcvertx.cluster.HostReport;
import io.smcvertx.cluster.HostStatus;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.RevisionRejectedException;
import io.smcvertx.cluster.SignedHostStatus;
import io.smcvertx.cluster.SignedRevision;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.transport.system.Ueid;
import io.smcvertx.transport.system.testing.InMemorySmcSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a process that reaches the Hazelcast port can do, as SECURITY.md states it: Hazelcast
 * Community Edition authenticates nobody, so the attacker here is a plain Hazelcast client of the
 * member, holding no key. One member with a store (enrolled host key) and a reconciler.
 */
class HazelcastPortAttackerTest {

    static final Duration PATIENCE = Duration.ofSeconds(90);
    @TempDir
    static Path dir;
    static HazelcastInstance member;
    static HazelcastInstance attacker;
    static OperatorKey operator = OperatorKey.generate();
    static TrustedKeys trust = TrustedKeys.of(operator.publicKey());
    static HazelcastClusterConfigStore store;
    static ConfigReconciler reconciler;
    static InMemorySmcSystem kernel = new InMemorySmcSystem();
    static IMap<String, byte[]> config;
    static IMap<String, String> status;

    @BeforeAll
    static void start() throws Exception {
        int port = TestCluster.freePorts(1).getFirst();
        String cluster = "attacker-" + UUID.randomUUID();
        member = Hazelcast.newHazelcastInstance(LoopbackHazelcast.memberConfig(cluster, port, List.of(port)));
        HostKey key = HostKey.generate();
        store = HazelcastClusterConfigStore.builder().instance(member).host("victim").trustedKeys(trust)
                .hostKey(key, HostEnrollment.enroll("victim", key.publicKey(), operator))
                .stateFile(dir.resolve("victim.revision")).resyncInterval(Duration.ofSeconds(1))
                .start().toCompletableFuture().get(60, TimeUnit.SECONDS);
        reconciler = ConfigReconciler.builder(store, kernel, HostIdentity.of("victim")).writable(() -> true)
                .interval(Duration.ofSeconds(1)).start();
        store.publish(FleetConfig.builder(1).ueid("OLD").build(), operator).toCompletableFuture().get(60, TimeUnit.SECONDS);
        store.publish(FleetConfig.builder(2).ueid("GOOD").build(), operator).toCompletableFuture().get(60, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> kernel.ueids().equals(List.of(Ueid.of("GOOD"))));
        attacker = HazelcastClient.newHazelcastClient(LoopbackHazelcast.clientConfig(cluster, List.of("127.0.0.1:" + port), 30_000));
        config = attacker.getMap(HazelcastClusterConfigStore.DEFAULT_CONFIG_MAP);
        status = attacker.getMap(HazelcastClusterConfigStore.DEFAULT_STATUS_MAP);
    }

    @AfterAll
    static void stop() {
        reconciler.close();
        store.close();
        attacker.shutdown();
        member.getLifecycleService().terminate();
    }

    @Test
    void canReadEverythingInTheMapsAndNothingInThemIsSecret() throws Exception {
        SignedRevision r = SignedRevision.verify(config.get(HazelcastClusterConfigStore.KEY), trust);
        assertThat(r.config().ueids()).isNotEmpty();
        String victim = await().atMost(PATIENCE).until(() -> status.get("victim"), v -> v != null);
        assertThat(victim).doesNotContain("PRIVATE");
        assertThat(new String(config.get(HazelcastClusterConfigStore.KEY))).doesNotContain("PRIVATE");
    }

    @Test
    void canReplayAnOlderSignedRevisionButNoHostGoesBackAndTheNewerOneIsPutBack() throws Exception {
        byte[] newer = config.get(HazelcastClusterConfigStore.KEY);
        byte[] older = SignedRevision.sign(FleetConfig.builder(1).ueid("OLD").build(), operator).encoded();
        config.set(HazelcastClusterConfigStore.KEY, older);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(store.lastRejection()).hasValueSatisfying(
                    j -> assertThat(j.reason()).isEqualTo(RevisionRejectedException.Reason.STALE));
            assertThat(config.get(HazelcastClusterConfigStore.KEY)).isEqualTo(newer);
        });
        assertThat(kernel.ueids()).containsExactly(Ueid.of("GOOD"));
    }

    @Test
    void canDeleteTheRevisionAndTheMembersPutItBack() throws Exception {
        byte[] current = config.get(HazelcastClusterConfigStore.KEY);
        config.delete(HazelcastClusterConfigStore.KEY);
        await().atMost(PATIENCE).until(() -> java.util.Arrays.equals(config.get(HazelcastClusterConfigStore.KEY), current));
        assertThat(kernel.ueids()).containsExactly(Ueid.of("GOOD"));
    }

    @Test
    void canWriteAStatusButNotOneThatVerifiesAndADeletedOneComesBack() throws Exception {
        HostStatus lie = new HostStatus("victim", 9, 9, true, Optional.empty(), Optional.empty(), Optional.empty(), false,
                List.of(), Optional.empty(), Optional.empty(), List.of(), Instant.now());
        status.set("victim", SignedHostStatus.unsigned(lie));
        status.set("ghost", SignedHostStatus.unsigned(new HostStatus("ghost", 2, 2, true, Optional.empty(), Optional.empty(),
                Optional.empty(), false, List.of(), Optional.empty(), Optional.empty(), List.of(), Instant.now())));
        Map<String, HostReport> seen = store.status().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(seen.get("ghost").verified()).isFalse();
        // the victim's next report (every second here) overwrites the lie, signed
        await().atMost(PATIENCE).untilAsserted(() -> {
            HostReport r = store.status().toCompletableFuture().get(30, TimeUnit.SECONDS).get("victim");
            assertThat(r.verified()).isTrue();
            assertThat(r.status().orElseThrow().appliedRevision()).isEqualTo(2);
        });
        status.delete("victim");
        await().atMost(PATIENCE).until(() -> status.get("victim") != null);
        status.delete("ghost");
    }

    /** Runs on the member if the member deserializes it: what a gadget chain would do. */
    static final class Payload implements EntryProcessor<String, byte[], String> {
        static final AtomicBoolean RAN = new AtomicBoolean();

        @Override
        public String process(Map.Entry<String, byte[]> entry) {
            RAN.set(true);
            return "ran";
        }
    }

    @Test
    void cannotMakeAMemberDeserializeAClassOutsideTheJdkAndHazelcast() {
        // the class is on the member's class path (same JVM): only the member's filter stops it
        assertThatThrownBy(() -> config.executeOnKey(HazelcastClusterConfigStore.KEY, new Payload()))
                .hasStackTraceContaining("is not allowed");
        assertThat(Payload.RAN).isFalse();
    }
}
