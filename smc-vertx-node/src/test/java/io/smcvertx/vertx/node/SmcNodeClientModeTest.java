package io.smcvertx.vertx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.Ed25519Implementation;
import io.smcvertx.cluster.FleetConfig;
import io.smcvertx.cluster.HostEnrollment;
import io.smcvertx.cluster.HostKey;
import io.smcvertx.cluster.HostStatus;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.SignedHostStatus;
import io.smcvertx.cluster.SignedRevision;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.cluster.hazelcast.HazelcastClusterConfigStore;
import io.smcvertx.cluster.hazelcast.LoopbackHazelcast;
import io.smcvertx.vertx.internal.Handlers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node in {@code hazelcast.mode} client: a member on 127.0.0.1 holds the store (as the few
 * store members of a large fleet do), the node connects to it as a Hazelcast client and runs its
 * store and reconciler the same way, signs its status with its enrolled host key, writes the
 * revision through to its file, and shows every host's status, verified or not, at {@code /fleet}.
 * Its admin endpoint has a bearer token: nothing is served without it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SmcNodeClientModeTest {

    static final String TOKEN = "Zq8kR2vN5xT1wL7pC4mH9s";
    @TempDir
    static Path dir;
    static HazelcastInstance member;
    static String cluster;
    static int memberPort;
    static OperatorKey operator;
    static SmcNode node;
    static Vertx client;
    static int admin;

    @BeforeAll
    static void start() throws Exception {
        memberPort = SmcNodeTest.freePort();
        cluster = "client-mode-" + memberPort;
        member = Hazelcast.newHazelcastInstance(LoopbackHazelcast.memberConfig(cluster, memberPort, List.of(memberPort)));
        operator = OperatorKey.generate();
        operator.save(dir.resolve("operator.key"), dir.resolve("operator.pub"));
        HostKey hostKey = HostKey.generate();
        hostKey.save(dir.resolve("host.key"), dir.resolve("host.key.pub"));
        HostEnrollment.enroll("client-node", hostKey.publicKey(), operator).save(dir.resolve("client-node.enrollment"));
        Files.writeString(dir.resolve("admin.token"), TOKEN + "\n");

        admin = SmcNodeTest.freePort();
        node = SmcNode.start(NodeOptions.fromJson(config(memberPort, 60), Handlers.binder()), Handlers.binder())
                .toCompletionStage().toCompletableFuture().get(150, TimeUnit.SECONDS);
        client = Vertx.vertx();
    }

    static JsonObject config(int port, int connectTimeout) {
        return new JsonObject()
                .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", admin)
                        .put("tokenFile", dir.resolve("admin.token").toString()))
                .put("hazelcast", new JsonObject().put("mode", "client").put("clusterName", cluster)
                        .put("members", new JsonArray().add("127.0.0.1:" + port)).put("connectTimeoutSeconds", connectTimeout))
                .put("listeners", new JsonArray())
                .put("clusterConfig", new JsonObject().put("host", "client-node")
                        .put("trustedKeys", new JsonArray().add(dir.resolve("operator.pub").toString()))
                        .put("hostKey", dir.resolve("host.key").toString())
                        .put("hostEnrollment", dir.resolve("client-node.enrollment").toString())
                        .put("stateFile", dir.resolve("fleet.revision").toString())
                        .put("recheckSeconds", 1));
    }

    @AfterAll
    static void stop() throws Exception {
        SmcNodeTest.close(client, node);
        if (member != null) {
            member.getLifecycleService().terminate();
        }
    }

    record Reply(int status, String body) {
    }

    static Reply request(HttpMethod method, String path, String authorization) throws Exception {
        HttpClient c = client.createHttpClient();
        try {
            return c.request(method, admin, "127.0.0.1", path).compose(r -> {
                if (authorization != null) {
                    r.putHeader("Authorization", authorization);
                }
                return r.send().compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b.toString())));
            }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            c.close();
        }
    }

    static JsonObject get(String path) throws Exception {
        Reply r = request(HttpMethod.GET, path, "Bearer " + TOKEN);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    @Test
    void theAdminEndpointServesNothingWithoutTheTokenAndChangesNothingWithIt() throws Exception {
        for (String path : List.of("/status", "/connections", "/metrics", "/fleet", "/nowhere")) {
            assertThat(request(HttpMethod.GET, path, null).status()).as(path + " without a token").isEqualTo(401);
            assertThat(request(HttpMethod.GET, path, "Bearer " + TOKEN.substring(1)).status()).as(path + " wrong token").isEqualTo(401);
            assertThat(request(HttpMethod.GET, path, "Basic " + TOKEN).status()).as(path + " not a bearer token").isEqualTo(401);
        }
        assertThat(request(HttpMethod.GET, "/metrics", "Bearer " + TOKEN).status()).isEqualTo(200);
        for (HttpMethod m : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE)) {
            assertThat(request(m, "/status", null).status()).as(m + " without a token").isEqualTo(401);
            assertThat(request(m, "/status", "Bearer " + TOKEN).status()).as(m + " with the token: read-only").isEqualTo(405);
        }
        assertThat(get("/status").getString("adminAccess")).startsWith("requires a bearer token");
    }

    @Test
    void aClientNodeReconcilesSignsItsStatusWritesThroughAndShowsForgeriesAsUnverified() throws Exception {
        JsonObject cl = get("/status").getJsonObject("cluster");
        assertThat(cl.getString("mode")).isEqualTo("client");
        assertThat(cl.getString("hazelcast")).isEqualTo("running");
        assertThat(cl.getJsonArray("members").getList()).containsExactly("[127.0.0.1]:" + memberPort);
        assertThat(cl.containsKey("interface")).as("a client binds nothing").isFalse();
        assertThat(cl.getJsonObject("config").getBoolean("signsStatus")).isTrue();
        // which Ed25519 signs here, and why: libcrypto where the host has it (this one does), else the JDK's
        JsonObject ed = cl.getJsonObject("config").getJsonObject("ed25519");
        assertThat(ed.getString("implementation")).isEqualTo(Ed25519Implementation.inUse().name()).isIn("libcrypto", "jdk");
        assertThat(ed.getString("reason")).isNotBlank();

        // an operator publishes through the member; the client node learns it and writes it through
        try (HazelcastClusterConfigStore store = HazelcastClusterConfigStore.builder().instance(member).host("operator")
                .trustedKeys(TrustedKeys.of(operator.publicKey())).resyncInterval(Duration.ZERO)
                .start().toCompletableFuture().get(60, TimeUnit.SECONDS)) {
            store.publish(FleetConfig.builder(1).ueid("FLEET-A").build(), operator).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            // someone on the Hazelcast port files a status for a host that does not exist
            member.getMap(HazelcastClusterConfigStore.DEFAULT_STATUS_MAP).set("ghost", SignedHostStatus.unsigned(
                    new HostStatus("ghost", 1, 1, true, Optional.empty(), Optional.empty(), Optional.empty(), false,
                            List.of(), Optional.empty(), Optional.empty(), List.of(), Instant.now())));
            JsonObject fleet = await().atMost(Duration.ofSeconds(90)).until(() -> get("/fleet"), f -> f.getJsonArray("hosts")
                    .stream().map(JsonObject.class::cast).anyMatch(h -> h.getString("host").equals("client-node")
                            && h.getJsonObject("status").getLong("desiredRevision") == 1L));
            JsonObject self = host(fleet, "client-node");
            assertThat(self.getBoolean("verified")).as(self.encode()).isTrue();
            assertThat(self.getString("trustDetail")).contains("enrolled by operator key " + operator.keyId());
            assertThat(self.getJsonObject("status").getString("state")).as("this host's kernel has no SMC").isEqualTo("NO_SMC");
            JsonObject ghost = host(fleet, "ghost");
            assertThat(ghost.getBoolean("verified")).isFalse();
            assertThat(ghost.getString("trust")).isEqualTo("UNSIGNED");
            assertThat(fleet.getInteger("unverified")).isEqualTo(1);
            assertThat(store.status().toCompletableFuture().get(30, TimeUnit.SECONDS).get("client-node").verified()).isTrue();
        }
        assertThat(SignedRevision.verify(Files.readAllBytes(dir.resolve("fleet.revision")),
                TrustedKeys.of(operator.publicKey())).revision()).as("written through on the client node").isEqualTo(1);
    }

    @Test
    void aClientNodeWithoutAReachableMemberFailsToStartSayingWhere() throws Exception {
        int nobody = SmcNodeTest.freePort();
        int savedAdmin = admin;
        admin = SmcNodeTest.freePort();
        try {
            NodeOptions o = NodeOptions.fromJson(config(nobody, 2), Handlers.binder());
            Future<SmcNode> f = SmcNode.start(o, Handlers.binder());
            assertThatThrownBy(() -> f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .hasMessageContaining("no member of cluster `" + cluster + "` answered at [127.0.0.1:" + nobody + "] within 2 s");
        } finally {
            admin = savedAdmin;
        }
    }

    private static JsonObject host(JsonObject fleet, String name) {
        return fleet.getJsonArray("hosts").stream().map(JsonObject.class::cast).filter(h -> h.getString("host").equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in " + fleet.encode()));
    }
}
