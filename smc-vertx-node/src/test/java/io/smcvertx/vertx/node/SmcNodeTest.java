package io.smcvertx.vertx.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.vertx.internal.Handlers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The node on this host's kernel (no SMC): starts with an embedded Hazelcast member, serves HTTP
 * and TCP echo over plain TCP, and its admin endpoint says SMC is unavailable and why.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SmcNodeTest {

    static SmcNode node;
    static Vertx client;
    static int admin;
    static int http;
    static int echo;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        admin = freePort();
        http = freePort();
        echo = freePort();
        int hz = freePort();
        JsonObject config = NodeOptionsTest.good();
        config.getJsonObject("admin").put("port", admin);
        config.getJsonObject("hazelcast").put("port", hz);
        config.getJsonArray("listeners").getJsonObject(0).put("port", http).put("instances", 2);
        config.getJsonArray("listeners").getJsonObject(1).put("port", echo);
        NodeOptions options = NodeOptions.fromJson(config, Handlers.binder());
        node = SmcNode.start(options, Handlers.binder()).toCompletionStage().toCompletableFuture().get(150, TimeUnit.SECONDS);
        client = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        close(client, node);
    }

    /** Closes a test's Vert.x client, then its node; either may be null (a start that failed). */
    static void close(Vertx client, SmcNode node) throws Exception {
        if (client != null) {
            client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (node != null) {
            node.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    private static Buffer get(int port, String path) throws Exception {
        HttpClient c = client.createHttpClient();
        try {
            return c.request(HttpMethod.GET, port, "127.0.0.1", path)
                    .compose(r -> r.send().compose(resp -> resp.statusCode() == 200 ? resp.body()
                            : io.vertx.core.Future.failedFuture("HTTP " + resp.statusCode())))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            // also keeps the client reachable while the request runs: Vert.x 5 closes an unreachable one
            c.close();
        }
    }

    @Test
    void servesHttpAndTcpAndReportsSmcUnavailableWithItsCause() throws Exception {
        assertThat(get(http, "/health").toJsonObject().getString("status")).isEqualTo("UP");
        // held until the echo is done and closed then: Vert.x 5 closes an unreachable NetClient
        // (CleanableNetClient) with its connections when the GC runs
        NetClient net = client.createNetClient();
        String echoed = net.connect(echo, "127.0.0.1").compose(socket -> {
            var got = io.vertx.core.Promise.<String>promise();
            Buffer all = Buffer.buffer();
            socket.handler(b -> {
                all.appendBuffer(b);
                if (all.length() >= 11) {
                    got.tryComplete(all.toString());
                    socket.close();
                }
            });
            socket.write("hello, node");
            return got.future();
        }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(echoed).isEqualTo("hello, node");
        net.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

        JsonObject status = get(admin, "/status").toJsonObject();
        JsonObject smc = status.getJsonObject("smc");
        assertThat(smc.getBoolean("available")).isFalse();
        assertThat(smc.getString("cause")).as("the probe's cause on a kernel without SMC")
                .contains("AF_SMC").contains("EAFNOSUPPORT");
        assertThat(status.getJsonArray("listeners")).hasSize(2);
        JsonObject web = status.getJsonArray("listeners").getJsonObject(0);
        assertThat(web.getString("listening")).isEqualTo("TCP (SMC unavailable)");
        assertThat(status.getJsonObject("connections").getJsonObject("totalByMode").getLong("TCP")).isGreaterThanOrEqualTo(2L);
        assertThat(status.getJsonObject("cluster").getJsonArray("members")).hasSize(1);

        JsonArray conns = new JsonArray(get(admin, "/connections"));
        assertThat(conns).isNotEmpty();
        assertThat(conns.getJsonObject(0).getString("mode")).isEqualTo("TCP");

        String metrics = get(admin, "/metrics").toString();
        assertThat(metrics).contains("smcvertx_connections_open{mode=\"TCP\"}")
                .contains("smcvertx_smc_available 0.0");
    }

    @Test
    void launcherRefusesABadConfigNamingTheField() throws Exception {
        Path bad = Files.createTempFile("node", ".json");
        JsonObject config = NodeOptionsTest.good();
        config.getJsonArray("listeners").getJsonObject(1).put("port", 70000);
        Files.writeString(bad, config.encode());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SmcNode.run(new String[] {"--config", bad.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true));
        assertThat(status).isEqualTo(SmcNode.EXIT_CONFIG);
        assertThat(err.toString()).contains("`listeners[1].port` must be between 1 and 65535");
    }
}
