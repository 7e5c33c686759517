package io.smcvertx.vertx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.vertx.internal.Handlers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin endpoint behind TLS ({@code admin.tls}) with a bearer token: HTTPS only, so the token
 * never crosses the network in clear text. The key store is made by the JDK's keytool.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AdminTlsTest {

    static final String TOKEN = "tls-token-0123456789abcdef";
    @TempDir
    static Path dir;
    static SmcNode node;
    static Vertx client;
    static int admin;

    @BeforeAll
    static void start() throws Exception {
        Path ks = dir.resolve("admin.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "admin", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", "changeit").redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(out).isZero();
        Files.writeString(dir.resolve("admin.token"), TOKEN);
        admin = SmcNodeTest.freePort();
        JsonObject config = new JsonObject()
                .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", admin)
                        .put("tokenFile", dir.resolve("admin.token").toString())
                        .put("tls", new JsonObject().put("keyStore", ks.toString()).put("keyStorePassword", "changeit")))
                .put("listeners", new JsonArray());
        node = SmcNode.start(NodeOptions.fromJson(config, Handlers.binder()), Handlers.binder())
                .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        client = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        SmcNodeTest.close(client, node);
    }

    private static int get(HttpClientOptions o, String token) throws Exception {
        HttpClient c = client.createHttpClient(o);
        try {
            return c.request(HttpMethod.GET, admin, "127.0.0.1", "/status").compose(r -> {
                if (token != null) {
                    r.putHeader("Authorization", "Bearer " + token);
                }
                return r.send().map(resp -> resp.statusCode());
            }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            c.close();
        }
    }

    @Test
    void theEndpointSpeaksHttpsOnlyAndStillWantsTheToken() throws Exception {
        HttpClientOptions tls = new HttpClientOptions().setSsl(true)
                .setTrustOptions(new PfxOptions().setPath(dir.resolve("admin.p12").toString()).setPassword("changeit"));
        assertThat(get(tls, TOKEN)).isEqualTo(200);
        assertThat(get(tls, null)).isEqualTo(401);
        assertThatThrownBy(() -> get(new HttpClientOptions(), TOKEN)).as("plain HTTP gets no answer").isNotNull();
        assertThat(node.options().adminAccess().describe()).endsWith("over TLS");
        assertThat(List.of(node.options().adminAccess().tls().orElseThrow().toString())).noneMatch(s -> s.contains("changeit"));
    }
}
