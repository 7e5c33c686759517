package io.smcvertx.vertx.node;

import static io.smcvertx.vertx.lab.Lab.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.vertx.SmcTransport;
import io.smcvertx.vertx.internal.Handlers;
import io.smcvertx.vertx.lab.Child;
import io.smcvertx.vertx.lab.Lab;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard's and the alert rules' queries against what a node really exports, in the lab
 * where every series can exist: a node with SMC mode {@code required} and {@code clusterConfig}
 * (so host status rows), an SMC client of its echo listener (SMCD, bytes by mode; the kernel's
 * counters) and curl (a fallback, which REQUIRED then closes). Every smcvertx_* name in
 * deploy/monitoring must be in the scrape, and the scrape is what Prometheus would do: plain TCP,
 * which a REQUIRED node's admin endpoint still serves.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class MonitoringIT {

    static final String HOST = "127.0.0.1";
    static final int ADMIN = 18580;
    static final int ECHO = 18581;
    static final int HZ = 18582;

    @Test
    void everyNameTheDashboardAndTheRulesUseIsExportedByARealNode() throws Exception {
        Lab.requireSmc();
        Path dir = Files.createTempDirectory("monitoring-it");
        OperatorKey key = OperatorKey.generate();
        key.save(dir.resolve("operator.key"), dir.resolve("operator.pub"));
        JsonObject config = new JsonObject()
                .put("admin", new JsonObject().put("host", HOST).put("port", ADMIN))
                .put("hazelcast", new JsonObject().put("enabled", true).put("port", HZ).put("clusterName", "monitoring-it")
                        .put("members", new JsonArray().add(HOST + ":" + HZ)))
                .put("smc", new JsonObject().put("mode", "required"))
                .put("shutdownSeconds", 5)
                .put("listeners", new JsonArray().add(SmcNodeIT.listener("echo", "tcp", ECHO, new JsonObject().put("name", "echo"))))
                .put("clusterConfig", new JsonObject().put("enabled", true).put("host", "monitoring-it")
                        .put("trustedKeys", new JsonArray().add(dir.resolve("operator.pub").toString()))
                        .put("recheckSeconds", 2));
        SmcNode node = SmcNode.start(NodeOptions.fromJson(config, Handlers.binder()), Handlers.binder())
                .toCompletionStage().toCompletableFuture().get(15, TimeUnit.MINUTES);
        Vertx client = Vertx.builder().withTransport(SmcTransport.create()).build();
        try {
            // a plain TCP peer: the node sees a fallback (0x03010000) and, SMC being required, closes it
            Child.Result curl = Child.start("/usr/bin/curl", "-sS", "--max-time", "60", "telnet://" + HOST + ":" + ECHO)
                    .finish();
            System.out.println("monitoring-it: curl to the REQUIRED listener: rc " + curl.status());
            // an SMC client of the echo listener, so the SMCD series exist
            NetClient smcClient = client.createNetClient();
            NetSocket socket = join(smcClient.connect(ECHO, HOST));
            Buffer echoed = Buffer.buffer();
            socket.handler(echoed::appendBuffer);
            join(socket.write("monitoring-it"));
            await().atMost(Duration.ofSeconds(60)).until(() -> echoed.length() == "monitoring-it".length());
            try {
                Set<String> used = MetricNames.used();
                // the reconciler's first report and the doctor's first run come within a re-check period
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                    // curl is what a scraper is: plain TCP, served although the node requires SMC
                    Child.Result scraped = Child.start("/usr/bin/curl", "-sS", "--max-time", "60",
                            "http://" + HOST + ":" + ADMIN + "/metrics").finish();
                    String scrape = scraped.output();
                    assertThat(scraped.status()).as("curl's exit status scraping /metrics (output: %s)",
                            scrape.length() > 400 ? scrape.substring(0, 400) : scrape).isZero();
                    Set<String> missing = new TreeSet<>(used);
                    missing.removeAll(MetricNames.exported(scrape));
                    assertThat(missing).as("names the monitoring files use but the node does not export").isEmpty();
                });
                System.out.println("monitoring-it: all " + used.size() + " names of the dashboard and rules are exported: " + used);
            } finally {
                join(socket.close());
                join(smcClient.close());
            }
        } finally {
            join(client.close());
            join(node.stop());
        }
    }
}
