package io.smcvertx.quarkus.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smcvertx.quarkus.runtime.SmcConnectionModes;
import io.smcvertx.quarkus.runtime.SmcServiceTransport;
import io.smcvertx.transport.diag.ConnectionMode;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The example application under @QuarkusTest on this host, whose kernel has no SMC: the
 * extension is on (quarkus.smc.enabled=true), Vert.x runs on its transport, requests are served
 * over TCP, and the connection mode, health check and metrics all say why it is TCP.
 */
@QuarkusTest
class ExampleAppTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    SmcConnectionModes modes;

    @Inject
    Vertx vertx;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsAreServedOverTcpAndTheModeSaysWhy() throws Exception {
        assertThat(get("/hello").body()).isEqualTo("hello");
        HttpResponse<String> mode = get("/mode");
        assertThat(mode.statusCode()).isEqualTo(200);
        // e.g. "accepted 127.0.0.1:P <- 127.0.0.1:Q: TCP [SMC unavailable: kernel has no SMC: socket(AF_SMC) -> EAFNOSUPPORT (97) ...]"
        assertThat(mode.body()).startsWith("accepted ").contains(": TCP [SMC unavailable: ").contains("EAFNOSUPPORT");
        // the connection went through the extension's channel factory: the tracker counted it
        assertThat(modes.openByMode().getOrDefault(ConnectionMode.TCP, 0L)).isPositive();
    }

    @Test
    void vertxRunsOnTheSmcTransport() {
        // Vert.x took the extension's transport service, not its own epoll or JDK transport
        assertThat(((VertxInternal) vertx).transport()).isInstanceOf(SmcServiceTransport.class);
        assertThat(modes.smcAvailable()).isFalse();
        assertThat(modes.smcUnavailabilityCause()).get().asString().contains("EAFNOSUPPORT");
    }

    @Test
    void healthReportsTheCause() throws Exception {
        HttpResponse<String> health = get("/q/health/ready");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"name\": \"SMC\"").contains("\"available\": false").contains("EAFNOSUPPORT");
    }

    @Test
    void metricsCountModes() throws Exception {
        get("/hello");
        String metrics = get("/q/metrics").body();
        assertThat(metrics).contains("smcvertx_smc_available 0.0").containsPattern("smcvertx_connections_open\\{[^}]*mode=\"TCP\"[^}]*\\} [1-9]");
    }
}
