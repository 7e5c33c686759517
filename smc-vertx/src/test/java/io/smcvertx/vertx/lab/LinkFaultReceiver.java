package io.smcvertx.vertx.lab;

import io.smcvertx.netty.SmcChannelOptions;
import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.system.SmcrLinkGroup;
import io.smcvertx.vertx.SmcConnections;
import io.smcvertx.vertx.SmcTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receiving end of {@link LinkFault}: a Vert.x NetServer on {@link SmcTransport}. Per
 * transfer it records its end's mode by its kernel's smc_diag (through the transport's tracker),
 * dumps the link groups and publishes {@code t<N>.mid} once {@code MARK_BYTES} arrived (the guest
 * script injects the fault then), and at the end publishes {@code t<N>.result}: INTACT (every byte,
 * SHA-256 as the seed says), FAILED (the connection failed with an error: which), or a verdict the
 * issue forbids (SHORT: closed without an error before the end; CORRUPT; HANG: no byte and no end
 * for {@code STALL_S}).
 */
final class LinkFaultReceiver {

    private static final String ROLE = "receiver";
    private static final AtomicInteger BAD = new AtomicInteger();

    private LinkFaultReceiver() {
    }

    static int run(String[] a) throws Exception {
        String host = a[1];
        int port = Integer.parseInt(a[2]);
        Path dir = Files.createDirectories(Path.of(a[3]));
        long mark = Long.parseLong(a[4]);
        long stallSeconds = Long.parseLong(a[5]);
        Vertx vertx = Vertx.builder().withTransport(SmcTransport.create()).build();
        SmcConnections connections = SmcConnections.of(vertx);
        vertx.createNetServer()
                .connectHandler(s -> new Transfer(vertx, connections, s, dir, mark, stallSeconds).start())
                .listen(port, host).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        LinkFault.log(ROLE, "listening on " + host + ":" + port + " (SMC: " + connections.smcAvailable() + ")");
        LinkFault.publish(dir.resolve("listening"), LinkFault.uptime());
        // the guest script says when it is done with us (every transfer's result read)
        while (!Files.exists(dir.resolve("stop"))) {
            Thread.sleep(500);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        return BAD.get() == 0 ? 0 : 1;
    }

    /** One accepted connection, handled on its event loop; blocking netlink dumps go to a worker. */
    private static final class Transfer {
        private final Vertx vertx;
        private final SmcConnections connections;
        private final NetSocket socket;
        private final Path dir;
        private final long mark;
        private final long stallNanos;
        private final MessageDigest md = LinkFault.sha256();
        private Buffer head = Buffer.buffer();
        private int number;
        private long length = -1;
        private long received;
        private long seed;
        private Future<List<SmcrLinkGroup>> before = Future.succeededFuture(List.of());
        private String modeAtStart = "not asked yet";
        private boolean smcrAtStart;
        private Throwable error;
        private String errorUptime = "";
        private String soError = "";
        private String verdict;
        private long lastActivity = System.nanoTime();
        private long timer;

        Transfer(Vertx vertx, SmcConnections connections, NetSocket socket, Path dir, long mark, long stallSeconds) {
            this.vertx = vertx;
            this.connections = connections;
            this.socket = socket;
            this.dir = dir;
            this.mark = mark;
            this.stallNanos = TimeUnit.SECONDS.toNanos(stallSeconds);
        }

        void start() {
            LinkFault.log(ROLE, "accepted " + socket.remoteAddress());
            connections.info(socket).onComplete(ar -> {
                modeAtStart = ar.succeeded() ? ar.result().logLine() : "smc_diag lookup failed: " + ar.cause();
                smcrAtStart = ar.succeeded() && ar.result().mode() == ConnectionMode.SMCR;
                LinkFault.log(ROLE, "this end by this kernel's smc_diag, before the fault: " + modeAtStart);
            });
            socket.handler(this::onData);
            socket.exceptionHandler(e -> {
                if (error == null) {
                    error = e;
                    errorUptime = LinkFault.uptime();
                    soError = soError();
                    LinkFault.log(ROLE, "t" + number + ": connection error after " + received + " bytes: " + LinkFault.error(e)
                            + "; the socket's SO_ERROR: " + soError);
                }
            });
            socket.closeHandler(v -> end());
            timer = vertx.setPeriodic(5000, id -> {
                if (verdict == null && System.nanoTime() - lastActivity > stallNanos) {
                    verdict = "HANG";
                    LinkFault.log(ROLE, "t" + number + ": no byte and no end for " + TimeUnit.NANOSECONDS.toSeconds(stallNanos)
                            + " s after " + received + " bytes: closing");
                    socket.close();
                }
            });
        }

        /** The kernel's reason, while the channel is still open (the read error itself may carry no errno). */
        private String soError() {
            if (!(socket instanceof NetSocketInternal internal)) {
                return "(no channel)";
            }
            try {
                return SmcChannelOptions.pendingError(internal.channelHandlerContext().channel()).orElse("none");
            } catch (RuntimeException | SmcNativeException e) {
                return "(not readable: " + e.getMessage() + ")";
            }
        }

        private void onData(Buffer b) {
            lastActivity = System.nanoTime();
            if (length < 0) {
                head.appendBuffer(b);
                if (head.length() < LinkFault.HEADER) {
                    return;
                }
                if (head.getInt(0) != LinkFault.MAGIC) {
                    verdict = "BAD_HEADER";
                    socket.close();
                    return;
                }
                number = head.getInt(4);
                length = head.getLong(8);
                seed = head.getLong(16);
                LinkFault.log(ROLE, "t" + number + ": " + length + " bytes, seed " + seed);
                // the link groups before the fault, taken now: at the mark the fault must follow at once
                int n = number;
                before = vertx.executeBlocking(() -> {
                    List<SmcrLinkGroup> groups = LinkFault.linkGroups();
                    LinkFault.smcctlLinkGroups(ROLE, dir.resolve("t" + n + "-linkgroups-before.txt"));
                    return groups;
                }, false);
                b = head.getBuffer(LinkFault.HEADER, head.length());
                head = null;
            }
            md.update(b.getBytes());
            long was = received;
            received += b.length();
            if (was < mark && received >= mark) {
                atMark();
            }
            if (received == length) {
                byte[] got = md.digest();
                // the expectation only now: on one emulated CPU, computing it beside the stream slowed the stream
                Future<byte[]> expected = vertx.executeBlocking(() -> LinkFault.Stream.digest(seed, length), false);
                expected.onComplete(exp -> socket.write(Buffer.buffer(got)).onComplete(ar -> {
                    verdict = exp.succeeded() && Arrays.equals(exp.result(), got) ? "INTACT" : "CORRUPT";
                    LinkFault.log(ROLE, "t" + number + ": all " + received + " bytes, SHA-256 " + LinkFault.hex(got) + ": " + verdict);
                    socket.close();
                }));
            } else if (received > length) {
                verdict = "CORRUPT";
                LinkFault.log(ROLE, "t" + number + ": " + received + " bytes, more than the " + length + " announced");
                socket.close();
            }
        }

        /** In the middle: the signal the guest script injects the fault on (a small file: no need for a worker). */
        private void atMark() {
            try {
                LinkFault.publish(dir.resolve("t" + number + ".mid"), LinkFault.uptime() + " " + received + "\n");
            } catch (java.io.IOException e) {
                LinkFault.log(ROLE, "t" + number + ": cannot publish t" + number + ".mid: " + e);
                return;
            }
            LinkFault.log(ROLE, "t" + number + ": " + received + " bytes in: published t" + number + ".mid (inject the fault now)");
        }

        /** The guest script's {@code UPTIME KIND EPOCH} line for this transfer's fault. */
        private static String read(Path file) {
            try {
                return Files.readString(file).strip();
            } catch (java.io.IOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        private void end() {
            vertx.cancelTimer(timer);
            String endUptime = LinkFault.uptime();
            long endEpochMs = System.currentTimeMillis();
            if (verdict == null) {
                verdict = error != null ? "FAILED" : "SHORT";
            }
            Path faultFile = dir.resolve("t" + number + ".fault");
            boolean faultBeforeEnd = Files.exists(faultFile);
            String fault = faultBeforeEnd ? read(faultFile) : "";
            LinkFault.log(ROLE, "t" + number + ": ended " + verdict + " after " + received + " of " + length + " bytes"
                    + (error != null ? ", error " + LinkFault.error(error) : ""));
            before.onComplete(b -> vertx.executeBlocking(() -> {
                List<SmcrLinkGroup> after = LinkFault.linkGroups();
                List<String> changes = LinkFault.changes(b.succeeded() ? b.result() : List.of(), after);
                LinkFault.smcctlLinkGroups(ROLE, dir.resolve("t" + number + "-linkgroups-after.txt"));
                changes.forEach(c -> LinkFault.log(ROLE, "t" + number + ": link groups, at the mark -> after the end: " + c));
                JsonObject r = LinkFault.result(number, verdict).put("bytes", received).put("length", length)
                        .put("error", LinkFault.error(error)).put("soError", soError).put("errorUptime", errorUptime).put("endUptime", endUptime)
                        .put("modeAtStart", modeAtStart).put("smcrAtStart", smcrAtStart)
                        .put("faultBeforeEnd", faultBeforeEnd).put("fault", fault)
                        .put("endEpochMs", endEpochMs).put("linkGroupChanges", changes)
                        .put("trackerTotalByMode", String.valueOf(connections.totalByMode()))
                        .put("trackerFallbacksByReason", String.valueOf(connections.fallbacksByReason()));
                boolean allowed = ("INTACT".equals(verdict) || "FAILED".equals(verdict)) && smcrAtStart && faultBeforeEnd;
                r.put("allowed", allowed);
                if (!allowed) {
                    BAD.incrementAndGet();
                }
                LinkFault.publish(dir.resolve("t" + number + ".result"), r.encode() + "\n");
                LinkFault.log(ROLE, "t" + number + ".result " + r.encode());
                return null;
            }, false));
        }
    }
}
