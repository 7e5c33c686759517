package io.smcvertx.vertx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smcvertx.vertx.SmcConnections;
import io.smcvertx.vertx.SmcTransport;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * /metrics on this host's kernel (no SMC): a NetServer/NetClient round trip through the node's
 * metrics SPI shows up as bytes under mode TCP, exactly, after the connection closed; the kernel
 * statistics are printed one line per counter.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeMetricsTest {

    private static final int SIZE = 10_000;

    static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
        assertThat(m.find()).as("series %s in:\n%s", series, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /**
     * Many connections to one server opened at once from one event loop, plus HTTP: every
     * connection is tied to its own channel (none unattributed) and their bytes are counted.
     */
    @Test
    void concurrentConnectionsToOneServerAreEachTiedToTheirChannel() throws Exception {
        SmcTransport transport = SmcTransport.create();
        ConnectionBytes bytes = new ConnectionBytes(transport);
        Vertx vertx = Vertx.builder().with(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1))
                .withTransport(transport).withMetrics(bytes.factory()).build();
        try {
            NetServer server = vertx.createNetServer().connectHandler(s -> s.handler(s::write));
            server.listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
            io.vertx.core.net.NetClient net = vertx.createNetClient();
            int n = 16;
            java.util.List<io.vertx.core.Future<Integer>> all = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(net.connect(server.actualPort(), "127.0.0.1").compose(so -> {
                    Promise<Integer> done = Promise.promise();
                    Buffer got = Buffer.buffer();
                    so.handler(b -> {
                        got.appendBuffer(b);
                        if (got.length() >= SIZE) {
                            so.close().onComplete(v -> done.tryComplete(got.length()));
                        }
                    });
                    so.write(Buffer.buffer(new byte[SIZE]));
                    return done.future();
                }));
            }
            io.vertx.core.Future.all(all).await(60, TimeUnit.SECONDS);
            io.vertx.core.http.HttpServer http = vertx.createHttpServer().requestHandler(r -> r.response().end("x".repeat(SIZE)));
            http.listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
            io.vertx.core.http.HttpClient httpClient = vertx.createHttpClient();
            String body = httpClient.request(io.vertx.core.http.HttpMethod.GET, http.actualPort(), "127.0.0.1", "/")
                    .compose(r -> r.send().compose(resp -> resp.body())).map(Buffer::toString).await(30, TimeUnit.SECONDS);
            assertThat(body).hasSize(SIZE);
            SmcConnections connections = SmcConnections.of(vertx);
            NodeMetrics metrics = new NodeMetrics(connections, bytes, Map::of);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String text = metrics.scrape();
                // the echo connections are closed, so flushed: exact. On HTTP/1 connections Vert.x reports
                // what it counts itself (the response body written, in 4 KiB steps), not header bytes
                assertThat(value(text, "smcvertx_connection_bytes{direction=\"read\",mode=\"TCP\"}")).isGreaterThanOrEqualTo(2.0 * n * SIZE);
                assertThat(value(text, "smcvertx_connection_bytes{direction=\"written\",mode=\"TCP\"}")).isGreaterThanOrEqualTo(2.0 * n * SIZE + SIZE - 4096);
            });
            String text = metrics.scrape();
            assertThat(value(text, "smcvertx_connection_bytes_unattributed")).isZero();
            assertThat(value(text, "smcvertx_connection_bytes{direction=\"read\",mode=\"UNKNOWN\"}")).isZero();
            // Vert.x 5 closes a client or server that became unreachable, with its connections
            Reference.reachabilityFence(net);
            Reference.reachabilityFence(server);
            Reference.reachabilityFence(http);
            Reference.reachabilityFence(httpClient);
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void bytesByModeAndKernelStatsAreInThePrometheusText() throws Exception {
        SmcTransport transport = SmcTransport.create();
        ConnectionBytes bytes = new ConnectionBytes(transport);
        Vertx vertx = Vertx.builder().withTransport(transport).withMetrics(bytes.factory()).build();
        try {
            NetServer server = vertx.createNetServer().connectHandler(s -> s.handler(s::write));
            server.listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
            Promise<Buffer> echoed = Promise.promise();
            Buffer payload = Buffer.buffer(new byte[SIZE]);
            io.vertx.core.net.NetClient net = vertx.createNetClient();
            NetSocket client = net.connect(server.actualPort(), "127.0.0.1").await(30, TimeUnit.SECONDS);
            Buffer got = Buffer.buffer();
            client.handler(b -> {
                got.appendBuffer(b);
                if (got.length() >= SIZE) {
                    echoed.tryComplete(got);
                }
            });
            client.write(payload);
            assertThat(echoed.future().await(30, TimeUnit.SECONDS).length()).isEqualTo(SIZE);
            client.close().await(30, TimeUnit.SECONDS);
            SmcConnections connections = SmcConnections.of(vertx);
            await().atMost(Duration.ofSeconds(30)).until(() -> connections.open().isEmpty());

            Map<String, Long> kernel = new LinkedHashMap<>();
            kernel.put("smcd_clnt_v2_succ", 3L);
            kernel.put("smcd_tx_bytes", 123456L);
            NodeMetrics metrics = new NodeMetrics(connections, bytes, () -> kernel);
            // both ends live in this Vert.x: each direction of the echo is read once and written once per end
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String text = metrics.scrape();
                assertThat(value(text, "smcvertx_connection_bytes{direction=\"read\",mode=\"TCP\"}")).isEqualTo(2.0 * SIZE);
                assertThat(value(text, "smcvertx_connection_bytes{direction=\"written\",mode=\"TCP\"}")).isEqualTo(2.0 * SIZE);
            });
            String text = metrics.scrape();
            assertThat(value(text, "smcvertx_connection_bytes{direction=\"read\",mode=\"SMCD\"}")).isZero();
            assertThat(value(text, "smcvertx_connection_bytes{direction=\"written\",mode=\"UNKNOWN\"}")).isZero();
            assertThat(value(text, "smcvertx_connection_bytes_unattributed")).isZero();
            assertThat(value(text, "smcvertx_connections_classified{mode=\"TCP\"}")).isEqualTo(2.0);
            assertThat(value(text, "smcvertx_kernel_smc_stat{stat=\"smcd_clnt_v2_succ\"}")).isEqualTo(3.0);
            assertThat(value(text, "smcvertx_kernel_smc_stat{stat=\"smcd_tx_bytes\"}")).isEqualTo(123456.0);
            assertThat(value(text, "smcvertx_smc_available")).isZero();
            assertThat(text).contains("# TYPE smcvertx_connection_bytes gauge");
            Reference.reachabilityFence(net);
            Reference.reachabilityFence(server);
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }
}
