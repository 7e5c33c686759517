package io.smcvertx.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.hazelcast.HazelcastClusterConfigStore;
import io.smcvertx.cluster.hazelcast.LoopbackHazelcast;
import io.smcvertx.transport.system.CgroupPattern;
import io.smcvertx.transport.system.TransparentSelection;
import io.smcvertx.transport.system.TransparentSelection.SelectedCgroup;
import io.smcvertx.transport.system.TransparentSmc;
import io.smcvertx.transport.system.testing.InMemorySmcSystem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The reconciler driving a {@link TransparentSmc} (a recording fake here; the BPF one in the lab). */
class TransparentReconcileTest {

    static HazelcastInstance hz;
    final OperatorKey key = OperatorKey.generate();
    HazelcastClusterConfigStore store;
    ConfigReconciler reconciler;
    final FakePort port = new FakePort();

    @BeforeAll
    static void member() throws IOException {
        int p;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            p = s.getLocalPort();
        }
        hz = Hazelcast.newHazelcastInstance(LoopbackHazelcast.memberConfig("transparent-" + UUID.randomUUID(), p,
                List.of(p)));
    }

    @AfterAll
    static void stopMember() {
        hz.getLifecycleService().terminate();
    }

    @BeforeEach
    void store(TestInfo info) throws Exception {
        String name = info.getTestMethod().orElseThrow().getName();
        store = HazelcastClusterConfigStore.builder().instance(hz).host("node1")
                .trustedKeys(TrustedKeys.of(key.publicKey()))
                .configMapName(HazelcastClusterConfigStore.DEFAULT_CONFIG_MAP + "-t-" + name)
                .statusMapName("status-t-" + name)
                .start().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        if (reconciler != null) {
            reconciler.close();
        }
        store.close();
    }

    private void start(boolean withPort) {
        ConfigReconciler.Builder b = ConfigReconciler.builder(store, new InMemorySmcSystem(),
                new HostIdentity("node1", java.util.Map.of("role", "k8s"))).writable(() -> true)
                .interval(Duration.ofHours(1));
        if (withPort) {
            b.transparent(port);
        }
        reconciler = b.start();
    }

    private void publish(FleetConfig c) throws Exception {
        store.publish(c, key).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private HostStatus now() throws Exception {
        return reconciler.reconcileNow().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void aHostWithoutPatternsNeverTouchesTheUpgrade() throws Exception {
        start(true);
        publish(FleetConfig.builder(1).ueid("A").transparent("/x", HostSelector.names("other")).build());
        HostStatus s = now();
        assertThat(s.state()).isEqualTo(HostStatus.State.APPLIED);
        assertThat(s.transparent()).isEmpty();
        assertThat(port.calls).isEmpty();
    }

    @Test
    void appliesReportsAndDetaches() throws Exception {
        start(true);
        port.answer = want -> new TransparentSelection(true, List.of(new SelectedCgroup("/kubepods.slice/pod-a.slice", 42)),
                List.of(new CgroupPattern("/system.slice/nginx.service")), List.of(), Optional.empty(), "program 7");
        publish(FleetConfig.builder(1).transparent("/kubepods.slice/pod-*.slice", HostSelector.label("role", "k8s"))
                .transparent("/system.slice/nginx.service").build());
        HostStatus s = now();
        assertThat(s.state()).isEqualTo(HostStatus.State.APPLIED);
        TransparentStatus t = s.transparent().orElseThrow();
        assertThat(t.patterns()).containsExactly("/kubepods.slice/pod-*.slice", "/system.slice/nginx.service");
        assertThat(t.selected()).containsExactly("/kubepods.slice/pod-a.slice (id 42)");
        assertThat(t.attached()).isTrue();
        assertThat(s.notes()).contains("transparent: cgroup pattern /system.slice/nginx.service matches no cgroup on this host");
        // what other members read back from the status map
        assertThat(store.status().toCompletableFuture().get(60, TimeUnit.SECONDS).get("node1").transparent())
                .contains(t);
        assertThat(port.calls.getLast()).hasSize(2);

        int before = port.calls.size();
        now();
        assertThat(port.calls.size()).as("applied again on every pass: new cgroups appear").isGreaterThan(before);

        port.answer = want -> TransparentSelection.off();
        publish(FleetConfig.builder(2).ueid("A").build());
        HostStatus off = now();
        assertThat(port.calls.getLast()).as("an empty selection detaches").isEmpty();
        assertThat(off.transparent()).isEmpty();
        int detached = port.calls.size();
        now();
        assertThat(port.calls).as("and nothing more once detached").hasSize(detached);
    }

    @Test
    void aRefusalIsAnErrorWithTheReason() throws Exception {
        start(true);
        port.answer = want -> TransparentSelection.refused("transparent SMC refused on kernel 6.12.0: no BPF trampoline");
        publish(FleetConfig.builder(1).transparent("/a").build());
        HostStatus s = now();
        assertThat(s.state()).isEqualTo(HostStatus.State.ERROR);
        assertThat(s.transparent().orElseThrow().refusal()).contains("transparent SMC refused on kernel 6.12.0: no BPF trampoline");
        assertThat(s.transparent().orElseThrow().summary()).startsWith("transparent refused: ");
    }

    @Test
    void somethingChangedBehindItsBackIsDrift() throws Exception {
        start(true);
        port.answer = want -> new TransparentSelection(true, List.of(new SelectedCgroup("/a", 1)), List.of(),
                List.of("cgroup /a (id 1) had been removed from the selection map by someone else: put back"),
                Optional.empty(), "program 7");
        publish(FleetConfig.builder(1).transparent("/a").build());
        HostStatus s = now();
        assertThat(s.state()).isEqualTo(HostStatus.State.DRIFT);
        assertThat(s.drift()).containsExactly(
                "transparent: cgroup /a (id 1) had been removed from the selection map by someone else: put back");
    }

    @Test
    void withoutALoaderTheHostSaysSo() throws Exception {
        start(false);
        publish(FleetConfig.builder(1).transparent("/a").build());
        HostStatus s = now();
        assertThat(s.state()).isEqualTo(HostStatus.State.ERROR);
        assertThat(s.transparent().orElseThrow().refusal()).contains(ConfigReconciler.NO_TRANSPARENT);
    }

    @Test
    void closingTheReconcilerDetaches() throws Exception {
        start(true);
        publish(FleetConfig.builder(1).transparent("/a").build());
        now();
        reconciler.close();
        reconciler = null;
        assertThat(port.closed).isTrue();
    }

    static final class FakePort implements TransparentSmc {
        final List<Set<CgroupPattern>> calls = new ArrayList<>();
        Function<Set<CgroupPattern>, TransparentSelection> answer = want -> want.isEmpty() ? TransparentSelection.off()
                : new TransparentSelection(true, List.of(), List.of(), List.of(), Optional.empty(), "fake");
        volatile boolean closed;

        @Override
        public synchronized TransparentSelection apply(Set<CgroupPattern> patterns) {
            calls.add(Set.copyOf(patterns));
            return answer.apply(patterns);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
