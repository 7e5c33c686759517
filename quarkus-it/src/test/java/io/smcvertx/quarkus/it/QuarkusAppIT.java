package io.smcvertx.quarkus.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.vertx.SmcConnections;
import io.smcvertx.vertx.SmcTransport;
import io.smcvertx.vertx.lab.Child;
import io.smcvertx.vertx.lab.Lab;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Quarkus example app (vertx4/quarkus-example, JVM mode, the packaged fast-jar) with
 * quarkus.smc.enabled=true, started in the lab guest: a Vert.x client on SMC is SMCD at both ends
 * (the app's /mode answers with its own smc_diag verdict, the client asks its own), curl is served
 * and reported FALLBACK_TCP 0x03010000 (PEERNOSMC), /q/health says SMC is available, /q/metrics
 * counts both modes. Quarkus on Vert.x 4.5 / Netty 4.1 serves a Vert.x 5 / Netty 4.2 client.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class QuarkusAppIT {

    /** Quarkus' JVM start under TCG: minutes; generous, never a measurement. */
    private static final long START_SECONDS = 900;
    private static final String HOST = "127.0.0.1";

    private static Process app;
    private static final BlockingQueue<String> APP_LINES = new LinkedBlockingQueue<>();
    private static final StringBuilder APP_LOG = new StringBuilder();
    private static int port;
    private static Vertx vertx;

    @BeforeAll
    static void startApp() throws Exception {
        Lab.requireSmc();
        Path appJar = repo().resolve("vertx4/quarkus-example/target/quarkus-app/quarkus-run.jar");
        assertThat(appJar).as("the packaged example (mvn verify builds it)").exists();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long t0 = System.nanoTime();
        app = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dquarkus.http.host=" + HOST, "-Dquarkus.http.port=" + port, "-jar", appJar.toString())
                .redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.out.println("quarkus-app| " + line);
                    synchronized (APP_LOG) {
                        APP_LOG.append(line).append('\n');
                    }
                    APP_LINES.add(line);
                }
            } catch (java.io.IOException e) {
                APP_LINES.add("reader: " + e);
            }
        }, "quarkus-app-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        boolean listening = false;
        while (!listening && System.nanoTime() < deadline && app.isAlive()) {
            String line = APP_LINES.poll(5, TimeUnit.SECONDS);
            listening = line != null && line.contains("Listening on:");
        }
        assertThat(listening).as("Quarkus app listening within %d s; its output:\n%s", START_SECONDS, appLog()).isTrue();
        System.out.printf("quarkus-it: app ready after %.1f s (TCG guest, not a measurement)%n", (System.nanoTime() - t0) / 1e9);
        assertThat(appLog()).as("the extension's start line").contains("SMC for Vert.x: mode PREFERRED, SMC sockets");
        vertx = Vertx.builder().withTransport(SmcTransport.create()).build();
    }

    @AfterAll
    static void stopApp() throws Exception {
        if (vertx != null) {
            Lab.join(vertx.close());
        }
        if (app != null) {
            app.destroy();
            if (!app.waitFor(120, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    @Test
    void vertxClientOnSmcIsSmcdAtBothEnds() throws Exception {
        HttpClient client = vertx.createHttpClient();
        // the body is asked for in the response's own callback: a response is not paused, so chunks
        // that arrive before body() is called are dropped (eclipse-vertx/vert.x#5904), and the answer
        // read later from the test thread was "" whenever the app answered quickly
        var answer = Lab.join(client.request(HttpMethod.GET, port, HOST, "/mode").compose(req -> req.send())
                .compose(response -> response.body().map(body -> Map.entry(response, body.toString()))));
        HttpClientResponse response = answer.getKey();
        String serverSide = answer.getValue();
        System.out.println("quarkus-it: the app about the Vert.x client's connection: " + response.statusCode() + " " + serverSide);
        var clientSide = Lab.join(SmcConnections.of(vertx).info(response.request().connection()));
        System.out.println("quarkus-it: the client about it: " + clientSide.logLine());
        // Vert.x 5 closes an unreachable client with its connections: held until its connection was asked about
        java.lang.ref.Reference.reachabilityFence(client);
        assertThat(response.statusCode()).as("the app's answer to /mode: %s; the app's output:%n%s", serverSide, appLog()).isEqualTo(200);
        assertThat(serverSide).as("the app's smc_diag verdict").startsWith("accepted ").endsWith(": SMCD");
        assertThat(clientSide.mode()).as("the client's smc_diag verdict").isEqualTo(ConnectionMode.SMCD);
    }

    @Test
    void curlIsServedAndReportedAsFallback() throws Exception {
        Child.Result curl = Child.start("/usr/bin/curl", "-sS", "--max-time", "120", "http://" + HOST + ":" + port + "/mode").finish();
        System.out.println("quarkus-it: curl got: " + curl.output());
        assertThat(curl.status()).isZero();
        assertThat(curl.output()).contains(": FALLBACK_TCP").contains("0x03010000");
    }

    @Test
    void healthSaysSmcIsAvailable() throws Exception {
        Child.Result health = Child.start("/usr/bin/curl", "-sS", "--max-time", "120", "http://" + HOST + ":" + port + "/q/health/ready").finish();
        System.out.println("quarkus-it: /q/health/ready: " + health.output());
        assertThat(health.output()).contains("\"name\": \"SMC\"").contains("\"available\": true").contains("\"status\": \"UP\"");
    }

    @Test
    void metricsCountBothModes() throws Exception {
        // one connection of each kind first, so both modes are there to count whatever the test order
        HttpClient client = vertx.createHttpClient();
        Lab.join(client.request(HttpMethod.GET, port, HOST, "/hello").compose(req -> req.send()).compose(HttpClientResponse::body));
        java.lang.ref.Reference.reachabilityFence(client);
        Child.start("/usr/bin/curl", "-sS", "--max-time", "120", "http://" + HOST + ":" + port + "/hello").finish();
        String metrics = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Lab.TIMEOUT_SECONDS);
        // the app classifies connections by batched smc_diag lookups: wait until both are counted
        while (System.nanoTime() < deadline && !(count(metrics, "SMCD") > 0 && count(metrics, "FALLBACK_TCP") > 0)) {
            metrics = Child.start("/usr/bin/curl", "-sS", "--max-time", "120", "http://" + HOST + ":" + port + "/q/metrics").finish().output();
            if (!(count(metrics, "SMCD") > 0 && count(metrics, "FALLBACK_TCP") > 0)) {
                Thread.sleep(2000);
            }
        }
        System.out.println("quarkus-it: /q/metrics smcvertx lines:\n" + String.join("\n",
                metrics.lines().filter(l -> l.startsWith("smcvertx_")).toList()));
        assertThat(count(metrics, "SMCD")).as("classified SMCD").isPositive();
        assertThat(count(metrics, "FALLBACK_TCP")).as("classified FALLBACK_TCP").isPositive();
        assertThat(metrics).contains("smcvertx_smc_available 1.0");
    }

    private static double count(String metrics, String mode) {
        Matcher m = Pattern.compile("^smcvertx_connections_classified\\{[^}]*mode=\"" + mode + "\"[^}]*\\} (\\S+)$", Pattern.MULTILINE)
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String appLog() {
        synchronized (APP_LOG) {
            return APP_LOG.toString();
        }
    }

    /** The checkout: this class sits in quarkus-it/target/test-classes. */
    private static Path repo() throws URISyntaxException {
        Path p = Path.of(QuarkusAppIT.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        while (p != null && !Files.exists(p.resolve("vertx4/pom.xml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no checkout above " + QuarkusAppIT.class.getProtectionDomain().getCodeSource());
        }
        return p;
    }

}
