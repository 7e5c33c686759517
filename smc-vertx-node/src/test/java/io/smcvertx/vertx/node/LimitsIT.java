package io.smcvertx.vertx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smcvertx.transport.system.SmcFallbackStats;
import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.vertx.internal.Handlers;
import io.smcvertx.vertx.lab.Child;
import io.smcvertx.vertx.lab.Lab;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Where SMC itself runs out, in the lab guest (issue 17 item 1). loopback-ISM has 5,000 DMBs
 * ({@code SMC_LO_MAX_DMBS}) and an SMC-D connection inside one kernel takes one per end, so 10,000
 * concurrent connections through one node's echo listener must go past it; and with
 * {@code limit_smc_hs} on, a burst of connects must push some past the handshake limit. In both,
 * every connection must be served with its own bytes intact, and the node's {@code /status} and
 * {@code /metrics} must agree with what the kernel (smc_diag) says about each end.
 *
 * <p>The load is {@code src/test/native/holdecho.c}, built with the guest's gcc here: one epoll
 * process holding 10,000 AF_SMC sockets costs far less under TCG than a JVM client would. Tagged
 * {@code limits}: CI's lab run leaves it out (7-8 min wall under TCG at load 8-9, more under load);
 * the one command is in the node's README.
 */
@Tag("limits")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class LimitsIT {

    static final String HOST = "127.0.0.1";
    static final int ADMIN = 18680;
    static final int ECHO = 18681;
    static final int STORM_ADMIN = 18682;
    static final int STORM_ECHO = 18683;
    static final int CONNECTIONS = Integer.getInteger("smcvertx.limits.connections", 10_000);
    /** connects in flight at once for the 10,000: few enough that the handshake workqueue never congests. */
    static final int WINDOW = 64;
    static final int STORM = Integer.getInteger("smcvertx.limits.storm", 1_000);
    static final int PAYLOAD = 256;
    /** the node's RLIMIT_NOFILE: one descriptor per connection plus the JVM's own. */
    static final int NODE_NOFILE = 32_768;
    static final int MAX_DMB = 0x030d0000;
    static final int PEER_DECLINED = 0x05000000;
    static final int PEER_NO_SMC = 0x03010000;
    /** one-way delay on lo during the storm: 1,000 handshakes of two such trips each outlast smc_hs_wq's 256 workers. */
    static final String STORM_DELAY = "100ms";
    /** how long the node may take to classify every connection (seconds at load 8-9; 2 of 10,000 never were at load 20). */
    static final Duration SETTLE = Duration.ofMinutes(10);
    static final SmcKernel KERNEL = SmcKernel.netlink(Duration.ofSeconds(120));

    @Test
    @Order(1)
    void tenThousandConnectionsGoPastLoopbackIsmsDmbsAndNoneIsLost() throws Exception {
        Lab.requireSmc();
        KERNEL.setHandshakeLimitation(false);
        Path dir = Files.createTempDirectory("limits-it");
        Path holdecho = compileClient(dir);
        Path config = dir.resolve("node.json");
        Files.writeString(config, nodeConfig(ADMIN, ECHO).encodePrettily());
        Path log = runDir().resolve("limits-node.log");
        // the README's command, with the descriptors 10,000 connections need (the JVM raises its soft limit to the hard one)
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/prlimit", "--nofile=" + NODE_NOFILE + ":" + NODE_NOFILE,
                repo().resolve("deploy/bin/smc-node").toString(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SMC_NODE_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        Process node = pb.start();
        try {
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> !node.isAlive() || Files.readString(log).contains("smc-vertx node up"));
            assertThat(node.isAlive()).as("the node is up; its log:\n%s", Files.readString(log)).isTrue();
            System.out.println("limits: node pid " + node.pid() + " up; " + memory(node.pid()));
            try (Holder load = Holder.start(holdecho, ECHO, CONNECTIONS, WINDOW)) {
                Map<String, Long> server = load.verifyAllServed(CONNECTIONS);
                long smcd = server.getOrDefault("SMCD", 0L);
                long fallback = server.getOrDefault("FALLBACK_TCP", 0L);
                // the kernel's limit: 5,000 DMBs, one per end of an SMC-D connection inside one kernel
                assertThat(smcd).as("SMC-D connections (5,000 DMBs / 2 ends)").isPositive().isLessThanOrEqualTo(2_500);
                assertThat(fallback).as("connections past the DMBs").isPositive();
                for (Holder.Row r : load.rows) {
                    if (r.mode.equals("FALLBACK_TCP")) {
                        assertThat(r.reason == MAX_DMB || r.reason == PEER_DECLINED && r.peer == MAX_DMB)
                                .as("every fallback names MAX_DMB, as its own reason or its peer's: %s", r).isTrue();
                    }
                }
                nodeAgrees(ADMIN, load, smcd, fallback);
                String mem = memory(node.pid());
                JsonObject metricsHeap = new JsonObject().put("heapUsedBytes", metric(scrape(ADMIN), "jvm_memory_used_bytes", "area", "heap"));
                System.out.println("limits: at the peak (" + CONNECTIONS + " open): node " + mem + ", " + metricsHeap.encode());
                printKernelFallbacks();
                load.release(CONNECTIONS);
            }
        } finally {
            node.destroy();
            if (!node.waitFor(120, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
    }

    @Test
    @Order(2)
    void aConnectStormPastTheHandshakeLimitStaysTcpAndNoneIsLost() throws Exception {
        Lab.requireSmc();
        Path holdecho = compileClient(Files.createTempDirectory("limits-storm"));
        // The kernel calls its handshake queue congested when smc_hs_wq holds more works than it runs at
        // once; the works sleep while CLC messages travel, and inside one kernel the client's connect
        // works share that queue with the listener's. On an idle guest a burst drained faster than that
        // (1,000 of 1,000 SMCD at load 3-8; 754 of 1,000 TCP at load 12-19), so whether the limit was
        // reached depended on the machine. A delay on lo, as a WAN round trip would, keeps every work
        // waiting for its trips: the burst then outruns the workers on any machine. The same storm with
        // the limit off is the control: the delay alone must not cost SMC.
        sh("modprobe", "sch_netem"); // the lab's modprobe (PATH) knows the guest kernel's module tree
        // netem's queue holds 1,000 packets by default: a burst of 1,000 handshakes would overflow it and
        // the drops, not the workqueue, would decide
        sh("/usr/sbin/tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", STORM_DELAY, "limit", "1000000");
        try {
            Map<String, Long> limited = storm(holdecho, true);
            assertThat(limited.getOrDefault("FALLBACK_TCP", 0L)).as("connections past the handshake limit (smc_hs_wq congested)")
                    .isPositive();
            // the control: the same storm with the limit off. No connection may fall back for want of the
            // SMC option then (so the fallbacks above are the limit's). What the kernel does instead is
            // reported, not asserted: in this lab every connect of the burst failed with ETIMEDOUT (4 runs
            // at load 4-270, 2 of them with netem's queue raised as here); our reading, from the source and
            // not traced: the listener's handshake works wait behind the clients' in smc_hs_wq
            KERNEL.setHandshakeLimitation(false);
            SmcNode node = SmcNode.start(NodeOptions.fromJson(nodeConfig(STORM_ADMIN, STORM_ECHO), Handlers.binder()), Handlers.binder())
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
            try (Holder load = Holder.start(holdecho, STORM_ECHO, STORM, STORM)) {
                String connected = load.observe();
                System.out.println("limits: the same storm with limit_smc_hs off: " + connected + "; smc_diag " + load.rows);
                assertThat(load.rows).as("fallbacks for want of the SMC option with limit_smc_hs off")
                        .noneMatch(r -> r.mode.equals("FALLBACK_TCP") && (r.reason == PEER_NO_SMC || r.peer == PEER_NO_SMC));
            } finally {
                Lab.join(node.stop());
            }
        } finally {
            sh("/usr/sbin/tc", "qdisc", "del", "dev", "lo", "root");
            KERNEL.setHandshakeLimitation(false);
        }
    }

    /** One burst of {@link #STORM} connects to a fresh node with limit_smc_hs on or off: the listener ends' modes, each served intact. */
    private static Map<String, Long> storm(Path holdecho, boolean limit) throws Exception {
        // the netlink switch (what smcctl doctor reads) and the sysctl are one per-namespace setting; a
        // listener copies it when its socket is created, so it is set before the node starts
        KERNEL.setHandshakeLimitation(limit);
        assertThat(KERNEL.handshakeLimitation()).as("SMC_NETLINK_DUMP_HS_LIMITATION").isEqualTo(limit);
        assertThat(Files.readString(Path.of("/proc/sys/net/smc/limit_smc_hs")).trim()).as("net.smc.limit_smc_hs").isEqualTo(limit ? "1" : "0");
        SmcNode node = SmcNode.start(NodeOptions.fromJson(nodeConfig(STORM_ADMIN, STORM_ECHO), Handlers.binder()), Handlers.binder())
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
        try (Holder load = Holder.start(holdecho, STORM_ECHO, STORM, STORM)) {
            Map<String, Long> server = load.verifyAllServed(STORM);
            long smcd = server.getOrDefault("SMCD", 0L);
            long fallback = server.getOrDefault("FALLBACK_TCP", 0L);
            System.out.println("limits: storm of " + STORM + " with " + STORM_DELAY + " on lo, limit_smc_hs " + (limit ? "on" : "off")
                    + ": " + smcd + " SMCD, " + fallback + " FALLBACK_TCP at the listener");
            for (Holder.Row r : load.rows) {
                if (r.side.equals("server") && r.mode.equals("FALLBACK_TCP")) {
                    // the listener leaves the SMC option out of its SYN-ACK: to the kernel that is a peer without SMC
                    assertThat(r.reason).as("the kernel's reason for a connection past the handshake limit: %s", r).isEqualTo(PEER_NO_SMC);
                }
            }
            nodeAgrees(STORM_ADMIN, load, smcd, fallback);
            printKernelFallbacks();
            load.release(STORM);
            return server;
        } finally {
            Lab.join(node.stop());
        }
    }

    /** /status and /metrics count what smc_diag says of the listener's ends, once every connection is classified. */
    private static void nodeAgrees(int admin, Holder load, long smcd, long fallback) throws Exception {
        Map<String, Long> kernelReasons = new TreeMap<>();
        for (Holder.Row r : load.rows) {
            if (r.side.equals("server") && r.mode.equals("FALLBACK_TCP")) {
                kernelReasons.merge(String.format("0x%08x", r.reason), r.count, Long::sum);
            }
        }
        JsonObject[] last = new JsonObject[1];
        try {
            awaitClassified(admin, smcd + fallback, last);
        } catch (ConditionTimeoutException e) {
            // the node's own word on the ones it could not classify (the tracker's note says why)
            JsonArray open = new JsonArray(curl("http://" + HOST + ":" + admin + "/connections"));
            open.stream().map(JsonObject.class::cast).filter(o -> "UNKNOWN".equals(o.getString("mode")))
                    .forEach(o -> System.out.println("limits: node /connections UNKNOWN: " + o.encode()));
            throw e;
        }
        JsonObject c = last[0];
        System.out.println("limits: node /status connections " + c.encode());
        assertThat(c.getJsonObject("openByMode").getLong("SMCD", 0L)).as("/status openByMode.SMCD").isEqualTo(smcd);
        assertThat(c.getJsonObject("openByMode").getLong("FALLBACK_TCP", 0L)).as("/status openByMode.FALLBACK_TCP").isEqualTo(fallback);
        Map<String, Long> nodeReasons = new TreeMap<>();
        c.getJsonObject("fallbacksByReason").forEach(e -> nodeReasons.put(e.getKey().toLowerCase(), ((Number) e.getValue()).longValue()));
        assertThat(nodeReasons).as("/status fallbacksByReason vs smc_diag's server ends").isEqualTo(kernelReasons);
        String metrics = scrape(admin);
        assertThat(metric(metrics, "smcvertx_connections_open", "mode", "SMCD")).as("/metrics open SMCD").isEqualTo(smcd);
        assertThat(metric(metrics, "smcvertx_connections_open", "mode", "FALLBACK_TCP")).as("/metrics open FALLBACK_TCP").isEqualTo(fallback);
        for (Map.Entry<String, Long> e : kernelReasons.entrySet()) {
            assertThat(metric(metrics, "smcvertx_fallbacks", "reason", e.getKey())).as("/metrics fallbacks %s", e.getKey()).isEqualTo(e.getValue());
        }
    }

    /** Polls /status until no open connection is UNKNOWN and SMCD + FALLBACK_TCP make {@code total}; the last seen in {@code last[0]}. */
    private static void awaitClassified(int admin, long total, JsonObject[] last) {
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonObject c = curlJson("http://" + HOST + ":" + admin + "/status").getJsonObject("connections");
            if (last[0] == null || !c.equals(last[0])) {
                System.out.println("limits: node /status connections now " + c.encode());
            }
            last[0] = c;
            JsonObject open = c.getJsonObject("openByMode");
            assertThat(open.getLong("UNKNOWN", 0L)).as("connections the node has not classified yet: %s", c.encode()).isZero();
            assertThat(open.getLong("SMCD", 0L) + open.getLong("FALLBACK_TCP", 0L)).as("classified: %s", c.encode())
                    .isEqualTo(total);
        });
    }

    private static void printKernelFallbacks() {
        try {
            SmcFallbackStats f = KERNEL.fallbackStats();
            System.out.println("limits: kernel fallback counters (u16 each, since smc loaded): server " + f.serverFallbacks()
                    + ", client " + f.clientFallbacks() + ", " + f.reasons());
        } catch (IOException e) {
            System.out.println("limits: kernel fallback counters unreadable: " + e);
        }
    }

    static JsonObject nodeConfig(int admin, int echo) {
        return new JsonObject()
                .put("admin", new JsonObject().put("host", HOST).put("port", admin).put("smc", "TCP"))
                .put("hazelcast", new JsonObject().put("enabled", false))
                .put("shutdownSeconds", 5)
                .put("listeners", new JsonArray().add(SmcNodeIT.listener("echo", "tcp", echo, new JsonObject().put("name", "echo"))));
    }

    private static void sh(String... command) throws Exception {
        Child.Result r = Child.start(command).finish();
        assertThat(r.status()).as("%s: %s", String.join(" ", command), r.output()).isZero();
    }

    private static Path compileClient(Path dir) throws Exception {
        Path out = dir.resolve("holdecho");
        Child.Result gcc = Child.start("/usr/bin/gcc", "-O2", "-o", out.toString(),
                repo().resolve("smc-vertx-node/src/test/native/holdecho.c").toString()).finish();
        assertThat(gcc.status()).as("gcc holdecho.c: %s", gcc.output()).isZero();
        return out;
    }

    static Path repo() {
        String lab = System.getenv("LAB_REPO");
        Path p = Path.of(lab != null ? lab : System.getProperty("user.dir")).toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("deploy/bin/smc-node"))) {
            p = p.getParent();
        }
        assertThat(p).as("the repository (deploy/bin/smc-node) above " + System.getProperty("user.dir")).isNotNull();
        return p;
    }

    private static Path runDir() throws IOException {
        String d = System.getenv("LAB_RUNDIR");
        return d != null ? Path.of(d) : Files.createTempDirectory("limits-run");
    }

    /** RSS and its peak, from the kernel's view of the process. */
    static String memory(long pid) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:") || line.startsWith("Name:")) {
                b.append(line.replaceAll("\\s+", " ")).append("; ");
            }
        }
        return b.toString();
    }

    static JsonObject curlJson(String url) throws Exception {
        return new JsonObject(curl(url));
    }

    static String curl(String url) throws Exception {
        Child.Result r = Child.start("/usr/bin/curl", "-sS", "--max-time", "300", url).finish();
        assertThat(r.status()).as("curl %s: %s", url, r.output()).isZero();
        return r.output();
    }

    static String scrape(int admin) throws Exception {
        Child.Result r = Child.start("/usr/bin/curl", "-sS", "--max-time", "300", "http://" + HOST + ":" + admin + "/metrics").finish();
        assertThat(r.status()).as("curl /metrics: %s", r.output()).isZero();
        return r.output();
    }

    /** The sum of a Prometheus series' samples whose label has the value (e.g. heap over its pools). */
    static long metric(String scrape, String name, String label, String value) {
        Pattern p = Pattern.compile("^" + name + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(scrape);
        double sum = 0;
        boolean seen = false;
        while (m.find()) {
            if (m.group(1).contains(label + "=\"" + value + "\"")) {
                sum += Double.parseDouble(m.group(2));
                seen = true;
            }
        }
        assertThat(seen).as("a series %s{%s=\"%s\"} in /metrics", name, label, value).isTrue();
        return (long) sum;
    }

    /** holdecho as a child: its lines come through a queue, so a wait has a deadline. */
    static final class Holder implements AutoCloseable {
        record Row(String side, String mode, int reason, int peer, long count) {
        }

        private static final Pattern DIAG = Pattern.compile(
                "DIAG side=(\\w+) mode=(\\w+) reason=0x([0-9a-f]{8}) peer=0x([0-9a-f]{8}) count=(\\d+)");
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<Row> rows = new ArrayList<>();

        private Holder(Process process) {
            this.process = process;
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        System.out.println("limits: holdecho: " + l);
                        lines.add(l);
                    }
                } catch (IOException e) {
                    lines.add("IOERROR " + e);
                }
                lines.add("EOF");
            });
        }

        static Holder start(Path holdecho, int port, int n, int window) throws IOException {
            return new Holder(new ProcessBuilder(holdecho.toString(), HOST, String.valueOf(port), String.valueOf(n),
                    String.valueOf(window), String.valueOf(PAYLOAD)).redirectErrorStream(true).start());
        }

        String next() throws InterruptedException {
            String l = lines.poll(40, TimeUnit.MINUTES);
            assertThat(l).as("holdecho's next line").isNotNull().isNotEqualTo("EOF");
            return l;
        }

        /**
         * Every connection connected and echoed its own bytes; smc_diag's rows at the peak, all ends ACTIVE
         * and each either SMC-D or a TCP fallback, both sides alike. Returns the listener's ends by mode.
         */
        Map<String, Long> verifyAllServed(int n) throws Exception {
            assertThat(next()).as("holdecho's connects").startsWith("CONNECTED ok=" + n + " failed=0 ");
            assertThat(next()).as("holdecho's echoes").startsWith("ECHOED ok=" + n + " bad=0 lost=0 missing=0 ");
            for (String l; !(l = next()).equals("READY"); ) {
                Matcher m = DIAG.matcher(l);
                if (m.matches()) {
                    rows.add(new Row(m.group(1), m.group(2), Integer.parseUnsignedInt(m.group(3), 16),
                            Integer.parseUnsignedInt(m.group(4), 16), Long.parseLong(m.group(5))));
                }
            }
            Map<String, Long> server = new TreeMap<>();
            Map<String, Long> client = new TreeMap<>();
            for (Row r : rows) {
                assertThat(r.mode).as("smc_diag mode of %s", r).isIn("SMCD", "FALLBACK_TCP");
                (r.side.equals("server") ? server : r.side.equals("client") ? client : new TreeMap<String, Long>())
                        .merge(r.mode, r.count, Long::sum);
            }
            System.out.println("limits: smc_diag at the peak: listener ends " + server + ", client ends " + client);
            assertThat(server.values().stream().mapToLong(Long::longValue).sum()).as("listener ends ACTIVE").isEqualTo(n);
            assertThat(client.values().stream().mapToLong(Long::longValue).sum()).as("client ends ACTIVE").isEqualTo(n);
            assertThat(client).as("both ends of a connection are in one mode").isEqualTo(server);
            return server;
        }

        /** holdecho's CONNECTED line, whatever it says, and smc_diag's rows at the peak (in {@link #rows}). */
        String observe() throws Exception {
            String connected = next();
            for (String l; !(l = next()).equals("READY"); ) {
                Matcher m = DIAG.matcher(l);
                if (m.matches()) {
                    rows.add(new Row(m.group(1), m.group(2), Integer.parseUnsignedInt(m.group(3), 16),
                            Integer.parseUnsignedInt(m.group(4), 16), Long.parseLong(m.group(5))));
                }
            }
            return connected;
        }

        /** Lets go of the connections; holdecho exits 0 only if every one echoed intact. */
        void release(int n) throws Exception {
            process.getOutputStream().close();
            assertThat(next()).isEqualTo("CLOSED echoed=" + n + " of " + n);
            assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue()).isZero();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
