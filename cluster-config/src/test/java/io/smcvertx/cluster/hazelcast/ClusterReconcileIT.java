package io.smcvertx.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.ConfigReconciler;
import io.smcvertx.cluster.FleetConfig;
import io.smcvertx.cluster.HostIdentity;
import io.smcvertx.cluster.HostSelector;
import io.smcvertx.cluster.HostReport;
import io.smcvertx.cluster.HostStatus;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.SignedRevision;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.FallbackReason;
import io.smcvertx.transport.diag.SmcConnectCheck;
import io.smcvertx.transport.diag.SmcDiag;
import io.smcvertx.transport.diag.SmcSocketInfo;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.PnetId;
import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.Ueid;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The store and the reconciler against the lab kernel: one real Hazelcast member on 127.0.0.1, a
 * {@link ConfigReconciler} over {@link SmcKernel#netlink()}, and the kernel's own word (smc_diag)
 * on what a loopback connection became. The AF_SMC server is an independent python listener.
 * The harness's UEID and the PNET table are saved first and put back afterwards, whatever happens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterReconcileIT {

    private static final SmcKernel K = SmcKernel.netlink(Duration.ofSeconds(60));
    /** TCG makes everything 10-20x slower: waits are in minutes, polls are cheap. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final String HOST = "lab-guest";
    private static final Ueid UEID = Ueid.of("SMCVERTX-RECONCILE-IT");
    private static final Ueid OTHER_HOSTS_UEID = Ueid.of("SMCVERTX-NOT-THIS-HOST");
    private static final String NETDEV = "smcvxrec0";
    private static final PnetId PNET = PnetId.of("SMCVXREC");
    private static final PnetId HAND = PnetId.of("SMCVXHAND");

    private LabKernelState saved;
    private boolean netdevCreated;
    private Process listener;
    private int smcPort;
    private HazelcastInstance hz;
    private HazelcastClusterConfigStore store;
    private ConfigReconciler reconciler;
    private final OperatorKey key = OperatorKey.generate();

    @BeforeAll
    void start() throws Exception {
        // from here on the kernel is ours: no UEID (SMCVERTX-LAB goes), no PNET entry
        saved = LabKernelState.takeOver(K);
        listener = python(repo().resolve("smcctl/src/test/lab/smc_listener.py").toString(), "smc");
        smcPort = port(listener);

        int hzPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            hzPort = s.getLocalPort();
        }
        String cluster = "smcvertx-it-" + UUID.randomUUID();
        hz = Hazelcast.newHazelcastInstance(LoopbackHazelcast.memberConfig(cluster, hzPort, List.of(hzPort)));
        store = HazelcastClusterConfigStore.builder().instance(hz).host(HOST)
                .trustedKeys(TrustedKeys.of(key.publicKey()))
                .stateFile(Files.createTempDirectory("reconcile-it").resolve("fleet.revision"))
                .resyncInterval(Duration.ofSeconds(5))
                .start().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        // the real capability check (root in the guest), not a stub
        reconciler = ConfigReconciler.builder(store, K, new HostIdentity(HOST, Map.of("zone", "lab")))
                .interval(Duration.ofSeconds(3))
                .start();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (reconciler != null) {
                reconciler.close();
            }
            if (store != null) {
                store.close();
            }
            if (hz != null) {
                hz.getLifecycleService().terminate();
            }
            if (listener != null) {
                listener.getOutputStream().close();
                listener.waitFor(1, TimeUnit.MINUTES);
                listener.destroyForcibly();
            }
        } finally {
            try {
                if (saved != null) {
                    saved.restore();
                }
            } finally {
                if (netdevCreated) {
                    ip("link", "del", NETDEV);
                }
            }
        }
    }

    @Test
    @Order(1)
    void aPublishedUeidReachesTheKernelAndTheFallbackBecomesSmcd() throws Exception {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), smcPort);
        SmcSocketInfo before = SmcConnectCheck.check(target, Duration.ofMinutes(2));
        assertThat(before.mode()).as("kernel's verdict without a UEID: " + before).isEqualTo(ConnectionMode.FALLBACK_TCP);
        // the client is declined by its peer, which says why; the server's end fell back for that reason
        assertThat(before.fallbackReason()).isEqualTo(FallbackReason.PEERDECL);
        assertThat(before.peerDiagnosis().code()).isEqualTo(0x03030008);
        SmcSocketInfo serverEnd = acceptedEnd(before);
        assertThat(serverEnd.mode()).isEqualTo(ConnectionMode.FALLBACK_TCP);
        assertThat(serverEnd.fallbackReason()).isEqualTo(FallbackReason.NOUEID);

        long rev = publish(b -> b
                .ueid(UEID.value(), HostSelector.names(HOST))
                .ueid(OTHER_HOSTS_UEID.value(), HostSelector.names("some-other-host")));
        HostStatus s = awaitApplied(rev);
        assertThat(s.kernelSmc()).isTrue();
        assertThat(s.readOnly()).isEmpty();
        // this host's slice only
        assertThat(K.ueids()).containsExactly(UEID);

        SmcSocketInfo after = SmcConnectCheck.check(target, Duration.ofMinutes(2));
        assertThat(after.mode()).as("kernel's verdict with the published UEID: " + after).isEqualTo(ConnectionMode.SMCD);
        assertThat(after.fallbackReason().isNone()).isTrue();
        assertThat(acceptedEnd(after).mode()).isEqualTo(ConnectionMode.SMCD);
        System.out.printf("ClusterReconcileIT: before revision %d: client %s %s (peer diagnosis %s), server %s %s;"
                + " after: client %s, server %s%n", rev, before.mode(), before.fallbackReason(), before.peerDiagnosis(),
                serverEnd.mode(), serverEnd.fallbackReason(), after.mode(), acceptedEnd(after).mode());
    }

    @Test
    @Order(2)
    void aPublishedPnetEntryIsAddedThenRemovedAndAHandMadeOneIsDrift() throws Exception {
        ip("link", "add", NETDEV, "type", "dummy");
        netdevCreated = true;
        PnetEntry mine = PnetEntry.ethernet(PNET.value(), NETDEV);

        long withEntry = publish(b -> b
                .ueid(UEID.value(), HostSelector.names(HOST))
                .pnet(mine, HostSelector.label("zone", "lab"))
                .pnet(PnetEntry.ethernet("SMCVXOTHER", "smcvxoth0"), HostSelector.label("zone", "elsewhere")));
        awaitApplied(withEntry);
        assertThat(K.pnet(PNET)).containsExactly(mine);
        assertThat(K.pnetTable()).as("the other zone's entry is not this host's").containsExactly(mine);

        long without = publish(b -> b.ueid(UEID.value(), HostSelector.names(HOST)));
        awaitApplied(without);
        assertThat(K.pnet(PNET)).isEmpty();
        assertThat(K.pnetTable()).isEmpty();
        assertThat(K.ueids()).as("what stayed in the config stayed in the kernel").containsExactly(UEID);

        PnetEntry byHand = PnetEntry.ethernet(HAND.value(), NETDEV);
        K.addPnet(byHand);
        try {
            String expected = "PNET SMCVXHAND eth " + NETDEV + " in the kernel but not in revision " + without;
            // the periodic re-check finds it and publishes it to the cluster's status map
            HostStatus drifted = awaitStatus(st -> st.drift().contains(expected));
            assertThat(drifted.state()).isEqualTo(HostStatus.State.DRIFT);
            assertThat(drifted.appliedRevision()).isEqualTo(without);
            assertThat(drifted.lastError()).isEmpty();
            // reported, not silently deleted: the operator's entry is still there
            assertThat(K.pnet(HAND)).containsExactly(byHand);
            HostStatus now = reconciler.reconcileNow().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(now.drift()).containsExactly(expected);
        } finally {
            K.removePnet(HAND);
        }
        awaitApplied(without);
    }

    /** The python listener's end of a connection (it holds accepted connections open), per smc_diag. */
    private SmcSocketInfo acceptedEnd(SmcSocketInfo client) throws IOException {
        try (SmcDiag diag = SmcDiag.open()) {
            return diag.dump().stream()
                    .filter(s -> !s.isListener() && s.local().getPort() == smcPort && s.peer().equals(client.local()))
                    .findFirst().orElseThrow(() -> new AssertionError("no accepted end of " + client + " in smc_diag"));
        }
    }

    /** Publishes the next revision built by {@code body} (signed with the trusted key); returns its number. */
    private long publish(UnaryOperator<FleetConfig.Builder> body) throws Exception {
        long next = store.current().map(SignedRevision::revision).orElse(0L) + 1;
        FleetConfig c = body.apply(FleetConfig.builder(next).comment("ClusterReconcileIT")).build();
        return store.publish(c, key).toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).revision();
    }

    private HostStatus awaitApplied(long revision) {
        return awaitStatus(s -> s.hasApplied(revision));
    }

    /** Waits for this host's entry in the cluster's status map (what smcctl cluster status reads). */
    private HostStatus awaitStatus(java.util.function.Predicate<HostStatus> condition) {
        List<HostStatus> seen = new ArrayList<>();
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .alias("status of " + HOST + " (last seen: " + seen + ")")
                .until(() -> {
                    HostReport r = store.status().toCompletableFuture().get(1, TimeUnit.MINUTES).get(HOST);
                    HostStatus s = r == null ? null : r.status().orElse(null);
                    if (s != null) {
                        seen.clear();
                        seen.add(s);
                    }
                    return s;
                }, s -> s != null && condition.test(s));
    }

    private static void ip(String... args) throws Exception {
        LabKernelState.ip(args);
    }

    private static Process python(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static int port(Process p) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null || !line.startsWith("port ")) {
            throw new IllegalStateException("listener did not start: " + line);
        }
        return Integer.parseInt(line.substring(5).trim());
    }

    /** The repository: the lab sets LAB_REPO; elsewhere walk up from the working directory. */
    private static Path repo() {
        String env = System.getenv("LAB_REPO");
        if (env != null) {
            return Path.of(env);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("smcctl/src/test/lab/smc_listener.py".replace('/', File.separatorChar)))) {
            p = p.getParent();
        }
        return p == null ? Path.of("").toAbsolutePath() : p;
    }
}
