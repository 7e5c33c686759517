package io.smcvertx.vertx.lab;

import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.vertx.SmcConnections;
import io.smcvertx.vertx.SmcTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The client half of the two-guest SMC-R leg (deploy/lab/guest/smcr-jvm.sh): a Vert.x HttpClient
 * on {@link SmcTransport} against the node in the other guest. It must see, by this kernel's
 * smc_diag, its connection as SMCR; the server's {@code /status} must count SMCR; {@code smcctl
 * devices} and {@code linkgroups} must show rxe0 and the link group; fixtures are captured (python,
 * independent of this code) while the connection is open. One JVM does all of it, since a JVM
 * start costs a minute or two under TCG.
 *
 * <p>Arguments: {@code SERVER_URL STATUS_URL SERVER_DONE_URL OUTDIR CAPTURE_SCRIPT}. Exit 0 only when every check held.
 */
public final class SmcrClient {

    private static final long WAIT_SECONDS = 900;

    private SmcrClient() {
    }

    public static void main(String[] args) throws Exception {
        String server = args[0];
        String statusUrl = args[1];
        String serverDone = args[2];
        Path out = Path.of(args[3]);
        String capture = args[4];
        Files.createDirectories(out);
        Vertx vertx = Vertx.builder().withTransport(SmcTransport.create()).build();
        int rc = 1;
        try {
            rc = run(vertx, server, statusUrl, serverDone, out, capture);
        } catch (Throwable t) {
            System.out.println("smcr-client: FAIL: " + t);
            t.printStackTrace(System.out);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        System.out.println("smcr-client: rc=" + rc);
        System.exit(rc);
    }

    private static int run(Vertx vertx, String server, String statusUrl, String serverDone, Path out, String capture)
            throws Exception {
        // one pooled keep-alive connection, so every request below rides the same SMC-R connection
        HttpClientAgent client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(true)
                .setKeepAliveTimeout(600).setConnectTimeout(30_000), new PoolOptions().setHttp1MaxSize(1));
        Answer answer = retry("GET " + server, () -> get(client, server));
        HttpClientResponse first = answer.response();
        String body = answer.body();
        SmcConnectionInfo info = await(SmcConnections.of(vertx).info(first.request().connection()));
        System.out.println("smcr-client: GET " + server + " -> " + first.statusCode() + " (" + body.length()
                + " bytes); this end by this kernel's smc_diag: " + info.logLine());
        boolean ok = info.mode() == ConnectionMode.SMCR;
        if (!ok) {
            System.out.println("smcr-client: FAIL: expected SMCR, got " + info.mode());
        }
        HttpClient plain = vertx.createHttpClient();
        // the server's admin endpoint is beyond loopback, so it wants the bearer token smcr-jvm.sh passes
        String token = System.getProperty("smcr.adminToken", "");
        JsonObject status = new JsonObject(await(await(plain.request(HttpMethod.GET, url(statusUrl).port, url(statusUrl).host,
                url(statusUrl).path)).putHeader("Authorization", "Bearer " + token)
                .send().compose(HttpClientResponse::body)).toString());
        JsonObject byMode = status.getJsonObject("connections").getJsonObject("totalByMode");
        System.out.println("smcr-client: server /status connections.totalByMode = " + byMode.encode());
        Files.writeString(out.resolve("server-status.json"), status.encodePrettily());
        if (byMode.getLong("SMCR", 0L) < 1) {
            ok = false;
            System.out.println("smcr-client: FAIL: the server's /status counts no SMCR connection");
        }
        for (String[] cmd : new String[][] {{"devices"}, {"linkgroups"}, {"doctor"}}) {
            String text = Lab.smcctl(cmd);
            Files.writeString(out.resolve("smcctl-" + cmd[0] + ".txt"), text);
            System.out.println("$ smcctl " + String.join(" ", cmd) + "\n" + text);
        }
        String devices = Files.readString(out.resolve("smcctl-devices.txt"));
        String groups = Files.readString(out.resolve("smcctl-linkgroups.txt"));
        if (!devices.contains("rxe0") || !groups.contains("SMCR") || !groups.contains("rxe0")) {
            ok = false;
            System.out.println("smcr-client: FAIL: smcctl devices/linkgroups do not show rxe0 and an SMC-R link group");
        }
        Process p = new ProcessBuilder("/usr/bin/python3", capture, out.resolve("fixtures").toString(), "client")
                .inheritIO().start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            ok = false;
            System.out.println("smcr-client: FAIL: fixture capture failed");
        }
        // keep the connection (and so the link group) up until the server captured its side too
        retry("wait for " + serverDone, () -> get(client, server).compose(r -> {
            System.out.println("smcr-client: still connected (" + r.response().statusCode() + "), waiting for the server's capture");
            return get(plain, serverDone); // held: Vert.x 5 closes an unreachable HttpClient on GC
        }));
        return ok ? 0 : 1;
    }

    private record Url(String host, int port, String path) {
    }

    private static Url url(String u) {
        java.net.URI uri = java.net.URI.create(u);
        return new Url(uri.getHost(), uri.getPort(), uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
    }

    /** A response and its body, read in the response's own callback (chunks that come before body() is called are dropped). */
    private record Answer(HttpClientResponse response, String body) {
    }

    private static Future<Answer> get(HttpClient client, String u) {
        Url url = url(u);
        return client.request(HttpMethod.GET, url.port, url.host, url.path).compose(r -> r.send())
                .compose(r -> r.statusCode() == 200 ? r.body().map(b -> new Answer(r, b.toString()))
                        : Future.failedFuture(u + " answered " + r.statusCode()));
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    /** Tries every 3 s until it works or {@link #WAIT_SECONDS} pass (the other guest's JVM may still be starting). */
    private static <T> T retry(String what, Supplier<Future<T>> attempt) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        Exception last = null;
        for (int i = 0; System.nanoTime() < deadline; i++) {
            try {
                return await(attempt.get());
            } catch (Exception e) {
                if (i % 10 == 0) {
                    System.out.println("smcr-client: " + what + ": not yet (" + e + "), retrying for up to " + WAIT_SECONDS + " s");
                }
                last = e;
                Thread.sleep(3000);
            }
        }
        throw new IllegalStateException(what + ": no success within " + WAIT_SECONDS + " s", last);
    }
}
