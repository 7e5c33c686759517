package io.smcvertx.vertx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.HostIdentity;
import io.smcvertx.cluster.OperatorKey;
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

/** The service on a member it does not own: leaves it running, and refuses unusable key files by field. */
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
                List.of(dir.resolve("k.pub")), Optional.of(dir.resolve("state")), 1);
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
                List.of(dir.resolve("ok.pub"), notAKey), Optional.empty(), 1);
        assertThatThrownBy(() -> ClusterConfigService.start(s, hz))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("`clusterConfig.trustedKeys[1]` cannot be used: ");
        ClusterConfigSettings missing = new ClusterConfigSettings(true, HostIdentity.of("svc"),
                List.of(dir.resolve("nope.pub")), Optional.empty(), 1);
        assertThatThrownBy(() -> ClusterConfigService.start(missing, hz))
                .hasMessageStartingWith("`clusterConfig.trustedKeys[0]` cannot be used: ");
    }
}
