package io.smcvertx.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.hazelcast.HazelcastClusterConfigStore;
import io.smcvertx.cluster.hazelcast.LoopbackHazelcast;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.Ueid;
import io.smcvertx.transport.system.testing.InMemorySmcSystem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * One host's reconciler against a kernel fake, with a real (single) Hazelcast member: each test
 * uses its own maps, so the tests share the member but not their revisions. Reconciliation is
 * driven with {@link ConfigReconciler#reconcileNow()} (the periodic check is set to an hour).
 */
class ConfigReconcilerTest {

    static HazelcastInstance hz;
    final OperatorKey key = OperatorKey.generate();
    HazelcastClusterConfigStore store;
    InMemorySmcSystem kernel;
    ConfigReconciler reconciler;

    @BeforeAll
    static void member() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        hz = Hazelcast.newHazelcastInstance(LoopbackHazelcast.memberConfig("reconciler-" + UUID.randomUUID(), port,
                List.of(port)));
    }

    @AfterAll
    static void stopMember() {
        hz.getLifecycleService().terminate();
    }

    @BeforeEach
    void store(TestInfo info) throws Exception {
        String name = info.getTestMethod().orElseThrow().getName();
        store = HazelcastClusterConfigStore.builder().instance(hz).host("h1")
                .trustedKeys(TrustedKeys.of(key.publicKey()))
                .configMapName(HazelcastClusterConfigStore.DEFAULT_CONFIG_MAP + "-" + name)
                .statusMapName("status-" + name)
                .start().toCompletableFuture().get(60, TimeUnit.SECONDS);
        kernel = new InMemorySmcSystem();
    }

    @AfterEach
    void close() {
        if (reconciler != null) {
            reconciler.close();
        }
        store.close();
        assertThat(hz.getLifecycleService().isRunning()).as("the store must not stop a shared instance").isTrue();
    }

    private ConfigReconciler start(ConfigReconciler.Builder b) {
        reconciler = b.interval(Duration.ofHours(1)).start();
        return reconciler;
    }

    private ConfigReconciler start() {
        return start(ConfigReconciler.builder(store, kernel, HostIdentity.of("h1")).writable(() -> true));
    }

    private void publish(FleetConfig c) throws Exception {
        store.publish(c, key).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private HostStatus now() throws Exception {
        return reconciler.reconcileNow().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void appliesOnceAndThenChangesNothing() throws Exception {
        start();
        publish(FleetConfig.builder(1).pnet(PnetEntry.ethernet("NET1", "eth0")).ueid("A").ueid("B")
                .handshakeLimitation(true).sysctl("net.smc.wmem", "1048576").build());
        HostStatus s = now();
        assertThat(s.state()).isEqualTo(HostStatus.State.APPLIED);
        assertThat(s.appliedRevision()).isEqualTo(1);
        assertThat(kernel.pnetTable()).containsExactly(PnetEntry.ethernet("NET1", "eth0"));
        assertThat(kernel.ueids()).containsExactlyInAnyOrder(Ueid.of("A"), Ueid.of("B"));
        assertThat(kernel.handshakeLimitation()).isTrue();
        assertThat(kernel.sysctls()).containsEntry("wmem", "1048576");
        int writes = kernel.writes.get();
        assertThat(now().state()).isEqualTo(HostStatus.State.APPLIED);
        assertThat(now().drift()).isEmpty();
        assertThat(kernel.writes.get()).as("a second pass writes nothing").isEqualTo(writes);
        // what the store saw is what the reconciler published
        assertThat(store.status().toCompletableFuture().get().get("h1").appliedRevision()).isEqualTo(1);
    }

    @Test
    void aFailingStepRollsBackTheWholeRevision() throws Exception {
        start();
        publish(FleetConfig.builder(1).ueid("KEEP").build());
        assertThat(now().hasApplied(1)).isTrue();
        kernel.failWrites(op -> op.equals("setSysctl wmem"));
        publish(FleetConfig.builder(2).pnet(PnetEntry.ethernet("NET1", "eth0")).ueid("NEW")
                .sysctl("net.smc.wmem", "1").build());
        HostStatus s = now();
        assertThat(s.state()).isEqualTo(HostStatus.State.ERROR);
        assertThat(s.appliedRevision()).isEqualTo(1);
        assertThat(s.lastError()).hasValueSatisfying(e -> assertThat(e)
                .contains("revision 2 not applied", "set net.smc.wmem = 1 failed", "rolled back"));
        assertThat(kernel.pnetTable()).isEmpty();
        assertThat(kernel.ueids()).containsExactly(Ueid.of("KEEP"));
        assertThat(kernel.sysctls()).containsEntry("wmem", "262144");
        // the cause goes away: the next pass applies it
        kernel.failWrites(op -> false);
        assertThat(now().hasApplied(2)).isTrue();
        assertThat(kernel.ueids()).containsExactly(Ueid.of("NEW"));
    }

    @Test
    void aFifthUeidInTheKernelFailsTheRevisionWithoutHalfApplying() throws Exception {
        for (String u : List.of("HAND1", "HAND2", "HAND3")) {
            kernel.addUeid(Ueid.of(u));
        }
        start();
        publish(FleetConfig.builder(1).pnet(PnetEntry.ethernet("NET1", "eth0")).ueid("X1").ueid("X2").build());
        HostStatus s = now();
        assertThat(s.state()).isEqualTo(HostStatus.State.ERROR);
        assertThat(s.lastError()).hasValueSatisfying(e -> assertThat(e).contains("ENOSPC"));
        assertThat(kernel.ueids()).containsExactlyInAnyOrder(Ueid.of("HAND1"), Ueid.of("HAND2"), Ueid.of("HAND3"));
        assertThat(kernel.pnetTable()).isEmpty();
    }

    @Test
    void handMadeChangesAreReportedAsDriftAndLeftAlone() throws Exception {
        start();
        publish(FleetConfig.builder(1).pnet(PnetEntry.ethernet("NET1", "eth0")).ueid("A").build());
        assertThat(now().hasApplied(1)).isTrue();
        kernel.addPnet(PnetEntry.ethernet("HAND", "eth9"));
        kernel.removeUeid(Ueid.of("A"));
        HostStatus s = now();
        assertThat(s.state()).isEqualTo(HostStatus.State.DRIFT);
        assertThat(s.drift()).containsExactlyInAnyOrder("PNET HAND eth eth9 in the kernel but not in revision 1",
                "UEID A missing from the kernel");
        assertThat(kernel.pnetTable()).contains(PnetEntry.ethernet("HAND", "eth9"));
        // a later revision removes what an earlier one added, not what a person added
        publish(FleetConfig.builder(2).ueid("B").build());
        HostStatus s2 = now();
        assertThat(s2.appliedRevision()).isEqualTo(2);
        assertThat(kernel.pnetTable()).containsExactly(PnetEntry.ethernet("HAND", "eth9"));
        assertThat(kernel.ueids()).containsExactly(Ueid.of("B"));
        assertThat(s2.drift()).containsExactly("PNET HAND eth eth9 in the kernel but not in revision 2");
    }

    @Test
    void correctPolicyPutsTheKernelBack() throws Exception {
        start(ConfigReconciler.builder(store, kernel, HostIdentity.of("h1")).writable(() -> true)
                .driftPolicy(ConfigReconciler.DriftPolicy.CORRECT));
        publish(FleetConfig.builder(1).pnet(PnetEntry.ethernet("NET1", "eth0")).pnet(PnetEntry.ethernet("NET1", "eth1"))
                .ueid("A").build());
        assertThat(now().hasApplied(1)).isTrue();
        kernel.addUeid(Ueid.of("HAND"));
        kernel.removePnet(io.smcvertx.transport.system.PnetId.of("NET1"));
        kernel.addPnet(PnetEntry.ethernet("NET1", "eth0"));
        HostStatus s = now();
        assertThat(s.state()).isEqualTo(HostStatus.State.APPLIED);
        assertThat(kernel.ueids()).containsExactly(Ueid.of("A"));
        assertThat(kernel.pnetTable()).containsExactlyInAnyOrder(PnetEntry.ethernet("NET1", "eth0"),
                PnetEntry.ethernet("NET1", "eth1"));
    }

    @Test
    void withoutCapNetAdminItOnlyReports() throws Exception {
        start(ConfigReconciler.builder(store, kernel, HostIdentity.of("h1")).writable(() -> false));
        publish(FleetConfig.builder(1).ueid("A").build());
        HostStatus s = now();
        assertThat(s.state()).isEqualTo(HostStatus.State.READ_ONLY);
        assertThat(s.readOnly()).contains("read-only: missing CAP_NET_ADMIN");
        assertThat(s.drift()).containsExactly("UEID A missing from the kernel");
        assertThat(kernel.writes.get()).isZero();
    }

    @Test
    void withoutKernelSmcItReportsAndKeepsRunning() throws Exception {
        kernel.unavailable("SMC_GEN_NETLINK: generic netlink family not found (smc not loaded)");
        start();
        publish(FleetConfig.builder(1).ueid("A").build());
        HostStatus s = now();
        assertThat(s.state()).isEqualTo(HostStatus.State.NO_SMC);
        assertThat(s.kernelSmcCause()).hasValueSatisfying(c -> assertThat(c).contains("family not found"));
        kernel.unavailable(null);
        assertThat(now().hasApplied(1)).isTrue();
    }

    @Test
    void theSeidIsReportedNeverInventedAndItsSwitchAppliesOnlyWhereItExists() throws Exception {
        start();
        publish(FleetConfig.builder(1).seidEnabled(false).build());
        HostStatus s = now();
        assertThat(s.seid()).isEmpty();
        assertThat(s.notes()).anySatisfy(n -> assertThat(n).contains("only on IBM Z"));
        assertThat(s.hasApplied(1)).isTrue();

        reconciler.close();
        kernel = new InMemorySmcSystem(Optional.of("IBM-SYSZ-ISMSEID00000000000000000"));
        start();
        // the kernel keeps the SEID while no UEID could take its place: refused before anything changes
        HostStatus z = now();
        assertThat(z.seid()).contains("IBM-SYSZ-ISMSEID00000000000000000");
        assertThat(z.state()).isEqualTo(HostStatus.State.ERROR);
        assertThat(z.lastError()).hasValueSatisfying(e -> assertThat(e).contains("revision 1 not applied: disable the SEID "
                + "failed: revision 1 gives this host no UEID, and the kernel keeps the SEID"));
        assertThat(kernel.seid().enabled()).isTrue();
        assertThat(kernel.writes.get()).isZero();

        publish(FleetConfig.builder(2).ueid("A").seidEnabled(false).build());
        HostStatus withUeid = now();
        assertThat(withUeid.hasApplied(2)).isTrue();
        assertThat(withUeid.seidEnabled()).isFalse();
        assertThat(kernel.seid().enabled()).isFalse();
    }

    @Test
    void theSeidStaysOffWhenTheRevisionReplacesEveryUeid() throws Exception {
        kernel = new InMemorySmcSystem(Optional.of("IBM-SYSZ-ISMSEID00000000000000000"));
        start();
        publish(FleetConfig.builder(1).ueid("A").seidEnabled(false).build());
        assertThat(now().hasApplied(1)).isTrue();
        // removing A (the last UEID) turns the SEID back on in the kernel before B arrives
        publish(FleetConfig.builder(2).ueid("B").seidEnabled(false).build());
        HostStatus s = now();
        assertThat(s.hasApplied(2)).as(s.toString()).isTrue();
        assertThat(kernel.ueids()).containsExactly(io.smcvertx.transport.system.Ueid.of("B"));
        assertThat(kernel.seid().enabled()).isFalse();
    }

    @Test
    void selectorsDecideWhatThisHostGets() throws Exception {
        start(ConfigReconciler.builder(store, kernel, new HostIdentity("h1", java.util.Map.of("zone", "a")))
                .writable(() -> true));
        publish(FleetConfig.builder(1)
                .pnet(PnetEntry.ethernet("NETA", "eth0"), HostSelector.label("zone", "a"))
                .pnet(PnetEntry.ethernet("NETB", "eth0"), HostSelector.label("zone", "b"))
                .ueid("ONLY-H2", HostSelector.names("h2"))
                .build());
        assertThat(now().hasApplied(1)).isTrue();
        assertThat(kernel.pnetTable()).containsExactly(PnetEntry.ethernet("NETA", "eth0"));
        assertThat(kernel.ueids()).isEmpty();
    }
}
