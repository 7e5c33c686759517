package io.smcvertx.vertx.lab;

import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.transport.system.SmcrLinkGroup;
import io.smcvertx.vertx.SmcConnections;
import io.smcvertx.vertx.SmcTransport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sending end of {@link LinkFault}: a Vert.x NetClient on {@link SmcTransport}. Per transfer
 * it waits for the receiver's guest to say {@code go-<N>} (over plain HTTP: its rxe device is back),
 * connects, requires SMCR at its end by its kernel's smc_diag, streams {@code BYTES} at most at
 * {@code RATE} bytes/s (so the fault lands in the middle whatever the emulation's speed), then waits
 * for the receiver's SHA-256. Its verdict (INTACT, FAILED with the error) must agree with the
 * receiver's {@code t<N>.result}: both INTACT, or both FAILED.
 */
final class LinkFaultSender {

    private static final String ROLE = "sender";
    /** Beyond the stream's paced duration: how long an end may take before the transfer counts as a HANG. */
    private static final long HANG_SECONDS = 900;
    private static final long BURST = 4L * LinkFault.CHUNK;

    private LinkFaultSender() {
    }

    static int run(String[] a) throws Exception {
        String host = a[1];
        int port = Integer.parseInt(a[2]);
        Path dir = Files.createDirectories(Path.of(a[3]));
        int transfers = Integer.parseInt(a[4]);
        long bytes = Long.parseLong(a[5]);
        long rate = Long.parseLong(a[6]);
        String go = a[7];
        Vertx vertx = Vertx.builder().withTransport(SmcTransport.create()).build();
        NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(60_000));
        // the go/result signals ride plain TCP on a Vert.x of its own: they stay out of the SMC tracker's counts
        Vertx plain = Vertx.vertx();
        HttpClient http = plain.createHttpClient();
        int bad = 0;
        for (int n = 1; n <= transfers; n++) {
            poll(http, go + "go-" + n, 1800);
            JsonObject r = transfer(vertx, client, host, port, dir, n, bytes, rate);
            JsonObject peer = new JsonObject(poll(http, go + "t" + n + ".result", 1800));
            String mine = r.getString("verdict");
            boolean agree = mine.equals(peer.getString("verdict")) && ("INTACT".equals(mine) || "FAILED".equals(mine));
            boolean pass = agree && r.getBoolean("smcrAtStart") && peer.getBoolean("allowed", false);
            r.put("receiver", peer).put("pass", pass);
            String[] fault = peer.getString("fault", "").split(" ");
            if (fault.length == 3 && !"none".equals(fault[1])) {
                // the two guests' wall clocks both come from the host's (qemu's RTC at boot): good to about a second
                double after = r.getLong("endEpochMs") / 1000.0 - Double.parseDouble(fault[2]);
                r.put("endSecondsAfterFault", Math.round(after * 10) / 10.0);
                LinkFault.log(ROLE, "t" + n + ": this end ended " + String.format("%.1f", after) + " s after the fault (wall clocks)");
            }
            LinkFault.publish(dir.resolve("t" + n + ".result"), r.encode() + "\n");
            LinkFault.log(ROLE, "t" + n + ": sender " + mine + ", receiver " + peer.getString("verdict") + " -> "
                    + (pass ? "PASS" : "FAIL") + (agree ? "" : " (the two ends disagree, or an end the issue forbids)"));
            if (!pass) {
                bad++;
            }
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        plain.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        return bad == 0 ? 0 : 1;
    }

    /** GETs the URL until it answers 200 with a body (the other guest's script publishes it when ready). */
    private static String poll(HttpClient http, String url, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                URI u = URI.create(url);
                // the body is read in the response's own callback: chunks that come before body() is called are
                // dropped (eclipse-vertx/vert.x#5904)
                String body = http.request(HttpMethod.GET, u.getPort(), u.getHost(), u.getRawPath())
                        .compose(HttpClientRequest::send)
                        .compose(r -> r.statusCode() == 200 ? r.body().map(Buffer::toString) : Future.succeededFuture(""))
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                if (!body.isEmpty()) {
                    return body;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(1000);
        }
        throw new TimeoutException(url + " did not answer 200 within " + seconds + " s (last: " + last + ")");
    }

    private static JsonObject transfer(Vertx vertx, NetClient client, String host, int port, Path dir, int n, long bytes,
                                       long rate) throws Exception {
        long seed = 0x5DEECE66DL * n + 17;
        Context context = vertx.getOrCreateContext();
        CompletableFuture<NetSocket> connected = new CompletableFuture<>();
        context.runOnContext(v -> client.connect(port, host).onComplete(ar -> {
            if (ar.succeeded()) {
                connected.complete(ar.result());
            } else {
                connected.completeExceptionally(ar.cause());
            }
        }));
        NetSocket socket = connected.get(180, TimeUnit.SECONDS);
        SmcConnectionInfo info = SmcConnections.of(vertx).info(socket).toCompletionStage().toCompletableFuture()
                .get(120, TimeUnit.SECONDS);
        LinkFault.log(ROLE, "t" + n + ": this end by this kernel's smc_diag, before the fault: " + info.logLine());
        List<SmcrLinkGroup> before = LinkFault.linkGroups();
        LinkFault.smcctlLinkGroups(ROLE, dir.resolve("t" + n + "-linkgroups-before.txt"));
        Pump pump = new Pump(vertx, socket, n, bytes, seed, rate);
        context.runOnContext(v -> pump.start());
        String verdict;
        try {
            verdict = pump.end.get(bytes / Math.max(1, rate) + HANG_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            verdict = "HANG";
            LinkFault.log(ROLE, "t" + n + ": no end after " + pump.sent + " bytes sent: HANG, closing");
            context.runOnContext(v -> socket.close());
        }
        List<SmcrLinkGroup> after = LinkFault.linkGroups();
        List<String> changes = LinkFault.changes(before, after);
        LinkFault.smcctlLinkGroups(ROLE, dir.resolve("t" + n + "-linkgroups-after.txt"));
        changes.forEach(c -> LinkFault.log(ROLE, "t" + n + ": link groups, connected -> after the end: " + c));
        SmcConnections connections = SmcConnections.of(vertx);
        return LinkFault.result(n, verdict).put("sent", pump.sent).put("length", bytes)
                .put("errors", pump.errors).put("endUptime", pump.endUptime).put("endEpochMs", pump.endEpochMs)
                .put("modeAtStart", info.logLine()).put("smcrAtStart", info.mode() == ConnectionMode.SMCR)
                .put("linkGroupChanges", changes)
                .put("trackerTotalByMode", String.valueOf(connections.totalByMode()))
                .put("trackerFallbacksByReason", String.valueOf(connections.fallbacksByReason()));
    }

    /** Writes the paced stream on the socket's context and turns its end into a verdict. */
    private static final class Pump {
        private final Vertx vertx;
        private final NetSocket socket;
        private final int n;
        private final long length;
        private final long rate;
        private final LinkFault.Stream stream;
        private final MessageDigest md = LinkFault.sha256();
        private final Buffer reply = Buffer.buffer();
        private final List<String> errors = new ArrayList<>();
        private final CompletableFuture<String> end = new CompletableFuture<>();
        private volatile long sent;
        private volatile String endUptime = "";
        private volatile long endEpochMs;
        private final long seed;
        private long t0;

        Pump(Vertx vertx, NetSocket socket, int n, long length, long seed, long rate) {
            this.vertx = vertx;
            this.socket = socket;
            this.n = n;
            this.length = length;
            this.rate = rate;
            this.seed = seed;
            this.stream = new LinkFault.Stream(seed, length);
        }

        void start() {
            socket.handler(this::onReply);
            socket.exceptionHandler(e -> error("connection", e));
            // a failed write's cause reaches its future, maybe after the close: give it a second to land
            socket.closeHandler(v -> vertx.setTimer(1000, id -> finish(errors.isEmpty() ? "CLOSED_WITHOUT_ERROR" : "FAILED")));
            t0 = System.nanoTime();
            socket.write(LinkFault.header(n, length, seed)).onFailure(e -> error("write", e));
            pump();
        }

        private void pump() {
            while (!stream.done() && !end.isDone()) {
                if (socket.writeQueueFull()) {
                    socket.drainHandler(v -> pump());
                    return;
                }
                long now = System.nanoTime();
                long allowed = (long) (rate * ((now - t0) / 1e9));
                if (allowed - sent > BURST) {
                    // no catching up after a slow spell (JIT, a busy host): at most BURST ahead of the rate
                    t0 = now - (long) ((sent + BURST) * 1e9 / rate);
                    allowed = sent + BURST;
                }
                if (sent >= allowed) {
                    vertx.setTimer(Math.max(1, (sent - allowed) * 1000 / rate + 5), id -> pump());
                    return;
                }
                byte[] b = stream.next();
                md.update(b);
                sent += b.length;
                socket.write(Buffer.buffer(b)).onFailure(e -> error("write", e));
            }
            if (stream.done() && reply.length() == 0) {
                LinkFault.log(ROLE, "t" + n + ": all " + sent + " bytes written, waiting for the receiver's SHA-256");
            }
        }

        private void onReply(Buffer b) {
            reply.appendBuffer(b);
            if (reply.length() >= 32 && !end.isDone()) {
                byte[] mine = md.digest();
                boolean same = sent == length && Arrays.equals(mine, reply.getBytes(0, 32));
                LinkFault.log(ROLE, "t" + n + ": receiver's SHA-256 " + LinkFault.hex(reply.getBytes(0, 32)) + ", mine "
                        + LinkFault.hex(mine) + (same ? ": same" : ": DIFFERENT"));
                finish(same ? "INTACT" : "CORRUPT");
            }
        }

        private void error(String where, Throwable e) {
            String line = where + ": " + LinkFault.error(e) + " (up=" + LinkFault.uptime() + ", " + sent + " bytes sent)";
            if (errors.size() < 5) {
                errors.add(line);
                LinkFault.log(ROLE, "t" + n + ": " + line);
            }
        }

        private void finish(String verdict) {
            if (!end.isDone()) {
                endUptime = LinkFault.uptime();
                endEpochMs = System.currentTimeMillis();
                LinkFault.log(ROLE, "t" + n + ": ended " + verdict + " after " + sent + " of " + length + " bytes sent");
                end.complete(verdict);
            }
        }
    }
}
