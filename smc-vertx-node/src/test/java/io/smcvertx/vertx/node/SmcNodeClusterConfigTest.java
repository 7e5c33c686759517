package io.smcvertx.vertx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.FleetConfig;
import io.smcvertx.cluster.HostReport;
import io.smcvertx.cluster.HostSelector;
import io.smcvertx.cluster.HostStatus;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.cluster.hazelcast.HazelcastClusterConfigStore;
import io.smcvertx.cluster.hazelcast.HazelcastDoctorReports;
import io.smcvertx.cluster.hazelcast.LoopbackHazelcast;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.vertx.internal.Handlers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with {@code clusterConfig} enabled on this host's kernel (no SMC): it starts, its
 * reconciler says the kernel has no SMC and keeps running, and a revision published by an
 * operator (as {@code smcctl cluster publish} does, through a Hazelcast client) reaches it.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SmcNodeClusterConfigTest {

    @TempDir
    static Path dir;
    static SmcNode node;
    static Vertx client;
    static int admin;
    static int hzPort;
    static OperatorKey key;

    @BeforeAll
    static void start() throws Exception {
        key = OperatorKey.generate();
        key.save(dir.resolve("operator.key"), dir.resolve("operator.pub"));
        admin = SmcNodeTest.freePort();
        hzPort = SmcNodeTest.freePort();
        JsonObject config = NodeOptionsTest.good();
        config.getJsonObject("admin").put("port", admin);
        config.getJsonObject("hazelcast").put("port", hzPort).put("clusterName", "cc-test-" + hzPort)
                .put("members", new JsonArray().add("127.0.0.1:" + hzPort));
        config.getJsonArray("listeners").getJsonObject(0).put("port", SmcNodeTest.freePort());
        config.getJsonArray("listeners").getJsonObject(1).put("port", SmcNodeTest.freePort());
        config.put("clusterConfig", new JsonObject().put("enabled", true).put("host", "node-test")
                .put("labels", new JsonObject().put("zone", "a"))
                .put("trustedKeys", new JsonArray().add(dir.resolve("operator.pub").toString()))
                .put("stateFile", dir.resolve("fleet.revision").toString())
                .put("recheckSeconds", 1));
        NodeOptions options = NodeOptions.fromJson(config, Handlers.binder());
        node = SmcNode.start(options, Handlers.binder()).toCompletionStage().toCompletableFuture().get(150, TimeUnit.SECONDS);
        client = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (node != null) {
            node.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    private static JsonObject config() throws Exception {
        Buffer b = client.createHttpClient().request(HttpMethod.GET, admin, "127.0.0.1", "/status")
                .compose(r -> r.send().compose(resp -> resp.body()))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return b.toJsonObject().getJsonObject("cluster").getJsonObject("config");
    }

    @Test
    void statusHasTheDoctorAndTheDoctorsReportReachesTheCluster() throws Exception {
        Buffer b = client.createHttpClient().request(HttpMethod.GET, admin, "127.0.0.1", "/status")
                .compose(r -> r.send().compose(resp -> resp.body()))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        JsonObject doctor = b.toJsonObject().getJsonObject("doctor");
        assertThat(doctor.getString("host")).isEqualTo("node-test");
        // this host's kernel has SMC exactly when /sys/module/smc exists; the doctor must say the same
        boolean smc = Files.isDirectory(Path.of("/sys/module/smc"));
        JsonObject module = doctor.getJsonArray("findings").stream().map(JsonObject.class::cast)
                .filter(f -> f.getString("check").equals("module.smc")).findFirst().orElseThrow();
        assertThat(module.getString("status")).isEqualTo(smc ? "OK" : "FAIL");
        assertThat(b.toJsonObject().getJsonObject("rdma").getString("verbs")).isNotEmpty();

        HazelcastInstance hc = HazelcastClient.newHazelcastClient(LoopbackHazelcast.clientConfig("cc-test-" + hzPort,
                List.of("127.0.0.1:" + hzPort), 30_000));
        try {
            var published = await().atMost(Duration.ofSeconds(60)).until(() -> HazelcastDoctorReports.on(hc).reports()
                    .toCompletableFuture().get(30, TimeUnit.SECONDS).get("node-test"), r -> r != null);
            assertThat(published.findings()).anySatisfy(f -> {
                assertThat(f.check()).isEqualTo("module.smc");
                assertThat(f.status().name()).isEqualTo(smc ? "OK" : "FAIL");
            });
        } finally {
            hc.shutdown();
        }
    }

    @Test
    void metricsHaveTheFleetRowsOfThisHost() throws Exception {
        // one client for all attempts, closed at the end (which also keeps it reachable: Vert.x 5 closes an
        // unreachable HttpClient, a CleanableHttpClient, when the GC runs, failing its request)
        HttpClient http = client.createHttpClient();
        String scrape = await().atMost(Duration.ofSeconds(60)).until(() -> http
                .request(HttpMethod.GET, admin, "127.0.0.1", "/metrics").compose(r -> r.send().compose(resp -> resp.body()))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).toString(),
                s -> s.contains("smcvertx_cluster_revision_applied{host=\"node-test\""));
        http.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(scrape).contains("smcvertx_cluster_host_state{host=\"node-test\",state=\"NO_SMC\",trust=\"UNSIGNED\"} 1.0",
                "smcvertx_cluster_revision_current", "smcvertx_doctor_findings{status=\"FAIL\"}");
    }

    @Test
    void reportsItsHostStatusAndPicksUpAPublishedRevision() throws Exception {
        JsonObject first = await().atMost(Duration.ofSeconds(60)).until(SmcNodeClusterConfigTest::config,
                c -> "NO_SMC".equals(c.getJsonObject("status").getString("state")));
        assertThat(first.getString("host")).isEqualTo("node-test");
        assertThat(first.getJsonObject("labels").getString("zone")).isEqualTo("a");
        assertThat(first.getLong("currentRevision")).isZero();
        JsonObject st = first.getJsonObject("status");
        assertThat(st.getBoolean("kernelSmc")).isFalse();
        assertThat(st.getString("kernelSmcCause")).as("the reconciler's word on this kernel").startsWith("SMC unavailable: ");

        // an operator publishes over a Hazelcast client, as smcctl does
        HazelcastInstance hc = HazelcastClient.newHazelcastClient(LoopbackHazelcast.clientConfig("cc-test-" + hzPort,
                List.of("127.0.0.1:" + hzPort), 30_000));
        try (HazelcastClusterConfigStore operator = HazelcastClusterConfigStore.builder().instance(hc).host("operator")
                .trustedKeys(TrustedKeys.of(key.publicKey())).resyncInterval(Duration.ZERO)
                .start().toCompletableFuture().get(60, TimeUnit.SECONDS)) {
            operator.publish(FleetConfig.builder(1).ueid("FLEET-A", HostSelector.label("zone", "a"))
                    .pnet(PnetEntry.ethernet("NET1", "eth1"), HostSelector.names("node-test")).build(), key)
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
            JsonObject after = await().atMost(Duration.ofSeconds(60)).until(SmcNodeClusterConfigTest::config,
                    c -> c.getJsonObject("status").getLong("desiredRevision", 0L) == 1L);
            assertThat(after.getLong("currentRevision")).isEqualTo(1L);
            assertThat(after.getJsonObject("status").getString("state")).as("still running, still honest").isEqualTo("NO_SMC");
            // the same status is in the cluster's status map, which smcctl cluster status reads
            HostReport report = await().atMost(Duration.ofSeconds(60)).until(
                    () -> operator.status().toCompletableFuture().get(30, TimeUnit.SECONDS).get("node-test"),
                    r -> r != null && r.status().map(s -> s.desiredRevision() == 1L).orElse(false));
            assertThat(report.trust()).as("this node has no host key").isEqualTo(HostReport.Trust.UNSIGNED);
            HostStatus published = report.status().orElseThrow();
            assertThat(published.state()).isEqualTo(HostStatus.State.NO_SMC);
            assertThat(published.kernelSmcCause()).isPresent();
        } finally {
            hc.shutdown();
        }
        // the node's member wrote the accepted revision through to its state file
        assertThat(Files.exists(dir.resolve("fleet.revision"))).isTrue();
    }
}
