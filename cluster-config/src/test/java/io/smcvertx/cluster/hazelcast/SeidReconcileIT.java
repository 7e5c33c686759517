package io.smcvertx.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.ConfigReconciler;
import io.smcvertx.cluster.FleetConfig;
import io.smcvertx.cluster.HostIdentity;
import io.smcvertx.cluster.HostSelector;
import io.smcvertx.cluster.HostStatus;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.SignedRevision;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectCheck;
import io.smcvertx.transport.diag.SmcSocketInfo;
import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.Ueid;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The reconciler applies the fleet configuration's SEID switch to an IBM Z kernel (the lab's s390x
 * guest) and publishes the host's SEID in its status: one real Hazelcast member on 127.0.0.1, a
 * {@link ConfigReconciler} over {@link SmcKernel#netlink()}, the kernel's own word on the switch and
 * on what a loopback connection became (smc_diag, and the EID the SMC-D link group negotiated).
 * Tagged {@code ibmz}: only the s390x leg runs it.
 */
@Tag("ibmz")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeidReconcileIT {

    private static final SmcKernel K = SmcKernel.netlink(Duration.ofSeconds(60));
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final String HOST = "ibmz-guest";
    private static final Ueid UEID = Ueid.of("SMCVERTX-SEID-IT");

    private List<Ueid> savedUeids;
    private String seid;
    private Process listener;
    private InetSocketAddress target;
    private HazelcastInstance hz;
    private HazelcastClusterConfigStore store;
    private ConfigReconciler reconciler;
    private final OperatorKey key = OperatorKey.generate();

    @BeforeAll
    void start() throws Exception {
        if (!"s390x".equals(System.getProperty("os.arch"))) {
            String why = "needs an IBM Z (s390x) kernel, this is " + System.getProperty("os.arch");
            if (Boolean.getBoolean("smcvertx.lab")) {
                Assertions.fail(why + ": run it in the s390x guest (run-in-vm.sh --arch s390x)");
            }
            Assumptions.abort(why);
        }
        savedUeids = K.ueids();
        K.flushUeids();
        K.setSeidEnabled(true);
        seid = K.seid().seid().orElseThrow(() -> new AssertionError("an IBM Z kernel without a SEID"));
        listener = new ProcessBuilder("/usr/bin/python3", repo().resolve("smcctl/src/test/lab/smc_listener.py").toString(), "smc")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).as("python AF_SMC listener").startsWith("port ");
        target = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(line.substring(5).trim()));

        int hzPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            hzPort = s.getLocalPort();
        }
        hz = Hazelcast.newHazelcastInstance(LoopbackHazelcast.memberConfig("smcvertx-it-" + UUID.randomUUID(), hzPort,
                List.of(hzPort)));
        store = HazelcastClusterConfigStore.builder().instance(hz).host(HOST)
                .trustedKeys(TrustedKeys.of(key.publicKey()))
                .stateFile(Files.createTempDirectory("seid-it").resolve("fleet.revision"))
                .resyncInterval(Duration.ofSeconds(5))
                .start().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        reconciler = ConfigReconciler.builder(store, K, new HostIdentity(HOST, Map.of("zone", "z")))
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
            if (savedUeids != null) {
                K.flushUeids();
                K.setSeidEnabled(true);
                for (Ueid u : savedUeids) {
                    K.addUeid(u);
                }
            }
        }
    }

    @Test
    @Order(1)
    void theHostStatusCarriesTheSeidAndSmcdNeedsNoUeid() throws Exception {
        long rev = publish(b -> b.seidEnabled(true));
        HostStatus s = awaitStatus(st -> st.hasApplied(rev));
        assertThat(s.seid()).contains(seid);
        assertThat(s.seidEnabled()).isTrue();
        assertThat(K.ueids()).isEmpty();
        assertSmcdNegotiating(seid);
    }

    @Test
    @Order(2)
    void disablingTheSeidWithAUeidInTheSameRevisionIsApplied() throws Exception {
        long rev = publish(b -> b.ueid(UEID.value(), HostSelector.ALL).seidEnabled(false));
        HostStatus s = awaitStatus(st -> st.hasApplied(rev));
        assertThat(s.seid()).as("the SEID is still reported, only not used").contains(seid);
        assertThat(s.seidEnabled()).isFalse();
        assertThat(K.seid().enabled()).isFalse();
        assertThat(K.ueids()).containsExactly(UEID);
        // the UEID is now the only EID the kernel offers, and SMC-D still comes up; which EID the
        // link group shows cannot tell: a new connection joins the loopback link group negotiated
        // before (the kernel matches SMC-D link groups by GID and VLAN, not by EID, and frees
        // them 10 minutes after their last connection)
        assertSmcd();
    }

    @Test
    @Order(3)
    void aRevisionTheKernelCannotHoldIsRefusedBeforeAnythingChanges() throws Exception {
        long good = store.current().map(SignedRevision::revision).orElseThrow();
        // no UEID and the SEID off: the kernel refuses to disable the SEID without a UEID and turns
        // it back on when the last UEID goes, so the reconciler refuses the revision up front
        long rev = publish(b -> b.seidEnabled(false));
        HostStatus s = awaitStatus(st -> st.desiredRevision() == rev && st.lastError().isPresent());
        assertThat(s.state()).isEqualTo(HostStatus.State.ERROR);
        assertThat(s.appliedRevision()).isEqualTo(good);
        assertThat(s.lastError().orElseThrow()).contains("gives this host no UEID, and the kernel keeps the SEID");
        assertThat(K.ueids()).containsExactly(UEID);
        assertThat(K.seid().enabled()).isFalse();
    }

    @Test
    @Order(4)
    void enablingItAgainWithoutUeidsRestoresTheSeidAlone() throws Exception {
        long rev = publish(b -> b.seidEnabled(true));
        HostStatus s = awaitStatus(st -> st.hasApplied(rev));
        assertThat(s.seidEnabled()).isTrue();
        assertThat(K.ueids()).isEmpty();
        assertThat(K.seid().enabled()).isTrue();
        assertSmcdNegotiating(seid);
    }

    /** A loopback AF_SMC connection is SMC-D, and some SMC-D link group negotiated {@code eid}. */
    private void assertSmcdNegotiating(String eid) throws Exception {
        assertThat(assertSmcd()).contains(eid);
    }

    /** A loopback AF_SMC connection is SMC-D by the kernel's word; returns the link groups' negotiated EIDs. */
    private List<String> assertSmcd() throws Exception {
        SmcSocketInfo c = SmcConnectCheck.check(target, Duration.ofMinutes(2));
        assertThat(c.mode()).as("kernel's verdict: " + c).isEqualTo(ConnectionMode.SMCD);
        List<String> eids = K.smcdLinkGroups().stream().flatMap(l -> l.v2().stream()).map(v -> v.negotiatedEid()).toList();
        System.out.println("SeidReconcileIT: SMCD; negotiated EIDs of the SMC-D link groups: " + eids);
        return eids;
    }

    private long publish(UnaryOperator<FleetConfig.Builder> body) throws Exception {
        long next = store.current().map(SignedRevision::revision).orElse(0L) + 1;
        FleetConfig c = body.apply(FleetConfig.builder(next).comment("SeidReconcileIT")).build();
        return store.publish(c, key).toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).revision();
    }

    private HostStatus awaitStatus(Predicate<HostStatus> condition) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).alias("status of " + HOST)
                .until(() -> store.status().toCompletableFuture().get(1, TimeUnit.MINUTES).get(HOST),
                        s -> s != null && condition.test(s));
    }

    private static Path repo() {
        String env = System.getenv("LAB_REPO");
        return env != null ? Path.of(env) : Path.of("").toAbsolutePath();
    }
}
