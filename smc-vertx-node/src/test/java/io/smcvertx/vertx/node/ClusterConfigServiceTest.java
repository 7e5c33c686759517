package io.smcvertx.vertx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.HostEnrollment;
import io.smcvertx.cluster.HostIdentity;
import io.smcvertx.cluster.HostKey;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.StateFileException;
import io.smcvertx.cluster.hazelcast.LoopbackHazelcast;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on a member it does not own: leaves it running, refuses unusable key and enrollment
 * files by field, and a state file that does not verify by its name.
 */
class ClusterConfigServiceTest {

    @TempDir
    static Path dir;
    static HazelcastInstance hz;

    @BeforeAll
    static void member() throws Exception {
        int port = SmcNodeTest.freePort();
        hz = Hazelcast.newHazelcastInstance(LoopbackHazelcast.memberConfig("svc-test-" + port, port, List.of(port)));
    }

    @AfterAll
    static void stop() {
        if (hz != null) {
            hz.getLifecycleService().terminate();
        }
    }

    @Test
    void closingTheServiceLeavesTheNodesMemberRunning() throws Exception {
        OperatorKey.generate().save(dir.resolve("k"), dir.resolve("k.pub"));
        ClusterConfigSettings s = new ClusterConfigSettings(true, new HostIdentity("svc", Map.of()),
                List.of(dir.resolve("k.pub")), Optional.of(dir.resolve("state")), 1, Optional.empty(), Optional.empty());
        ClusterConfigService svc = ClusterConfigService.start(s, hz);
        try {
            // this host's kernel has no SMC: the reconciler says so
            await().atMost(Duration.ofSeconds(30)).until(
                    () -> svc.statusJson().getJsonObject("status").getString("state"), "NO_SMC"::equals);
        } finally {
            svc.close();
        }
        assertThat(hz.getLifecycleService().isRunning()).isTrue();
        assertThat(hz.getMap("anything").put("k", "v")).isNull();
    }

    @Test
    void anUnreadableKeyFileIsRefusedNamingItsIndex() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("not-a-key.pub"), "hello");
        OperatorKey.generate().save(dir.resolve("ok"), dir.resolve("ok.pub"));
        ClusterConfigSettings s = new ClusterConfigSettings(true, HostIdentity.of("svc"),
                List.of(dir.resolve("ok.pub"), notAKey), Optional.empty(), 1, Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> ClusterConfigService.start(s, hz))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("`clusterConfig.trustedKeys[1]` cannot be used: ");
        ClusterConfigSettings missing = new ClusterConfigSettings(true, HostIdentity.of("svc"),
                List.of(dir.resolve("nope.pub")), Optional.empty(), 1, Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> ClusterConfigService.start(missing, hz))
                .hasMessageStartingWith("`clusterConfig.trustedKeys[0]` cannot be used: ");
    }

    @Test
    void aHostKeyTheOperatorDidNotEnrollForThisHostIsRefusedNamingTheField() throws Exception {
        OperatorKey operator = OperatorKey.generate();
        operator.save(dir.resolve("op"), dir.resolve("op.pub"));
        HostKey key = HostKey.generate();
        key.save(dir.resolve("host.key"), dir.resolve("host.key.pub"));
        HostEnrollment.enroll("other-host", key.publicKey(), operator).save(dir.resolve("other.enrollment"));
        HostEnrollment.enroll("svc", key.publicKey(), OperatorKey.generate()).save(dir.resolve("stranger.enrollment"));
        HostEnrollment.enroll("svc", HostKey.generate().publicKey(), operator).save(dir.resolve("otherkey.enrollment"));
        Object[][] cases = {
            {"other.enrollment", "for host other-host, this is host svc"},
            {"stranger.enrollment", "not trusted"},
            {"otherkey.enrollment", "not of this host's key"},
        };
        for (Object[] c : cases) {
            ClusterConfigSettings s = new ClusterConfigSettings(true, HostIdentity.of("svc"), List.of(dir.resolve("op.pub")),
                    Optional.empty(), 1, Optional.of(dir.resolve("host.key")), Optional.of(dir.resolve((String) c[0])));
            assertThatThrownBy(() -> ClusterConfigService.start(s, hz)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("`clusterConfig.hostEnrollment` cannot be used: ").hasMessageContaining((String) c[1]);
        }
        ClusterConfigSettings noKey = new ClusterConfigSettings(true, HostIdentity.of("svc"), List.of(dir.resolve("op.pub")),
                Optional.empty(), 1, Optional.of(dir.resolve("op.pub")), Optional.of(dir.resolve("other.enrollment")));
        assertThatThrownBy(() -> ClusterConfigService.start(noKey, hz))
                .hasMessageStartingWith("`clusterConfig.hostKey` cannot be used: ").hasMessageContaining("PRIVATE KEY");
    }

    @Test
    void aStateFileThatDoesNotVerifyStopsTheStartNamingTheFile() throws Exception {
        OperatorKey.generate().save(dir.resolve("sf"), dir.resolve("sf.pub"));
        Path state = Files.writeString(dir.resolve("broken.revision"), "{\"format\":\"smcvertx-fleet-config/1\"");
        ClusterConfigSettings s = new ClusterConfigSettings(true, HostIdentity.of("svc"), List.of(dir.resolve("sf.pub")),
                Optional.of(state), 1, Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> ClusterConfigService.start(s, hz)).isInstanceOf(StateFileException.class)
                .hasMessageStartingWith(state + " refused at start: ");
    }
}
