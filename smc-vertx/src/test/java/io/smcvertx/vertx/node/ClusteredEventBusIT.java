package io.smcvertx.vertx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.transport.Smc;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcDiag;
import io.smcvertx.transport.diag.SmcSocketInfo;
import io.smcvertx.vertx.SmcConnectionInfo;
import io.smcvertx.vertx.SmcConnectionInfo.Mode;
import io.smcvertx.vertx.SmcConnectionInfo.Side;
import io.smcvertx.vertx.SmcConnections;
import io.smcvertx.vertx.internal.Handlers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes in one JVM form a Hazelcast cluster on 127.0.0.1 (tcp-ip join) and run Vert.x
 * clustered over {@code SmcTransport}: send, request/reply and publish in both directions go over
 * event bus connections that the KERNEL (smc_diag) reports as SMC-D on both ends, while
 * Hazelcast's own member connections are not SMC sockets at all. /metrics shows the bytes under
 * mode SMCD and the kernel's SMC-D counters rising.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ClusteredEventBusIT {

    /** Big enough to stand out from the event bus's own chatter in the byte counts. */
    private static final int PAYLOAD = 64 * 1024;
    private static final Duration SLOW = Duration.ofMinutes(4);

    static int hzA, hzB, ebA, ebB, adminA, adminB;
    static SmcNode a, b;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static JsonObject config(int admin, int hz, int eb, List<String> members) {
        return new JsonObject()
                .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", admin))
                .put("hazelcast", new JsonObject().put("enabled", true).put("interface", "127.0.0.1").put("port", hz)
                        .put("clusterName", "evbus-it").put("clustered", true).put("eventBusPort", eb)
                        .put("members", new JsonArray(members)))
                .put("listeners", new JsonArray());
    }

    @BeforeAll
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    static void twoNodes() throws Exception {
        Throwable missing = Smc.unavailabilityCause();
        if (missing != null) {
            String why = "needs kernel SMC: " + missing.getMessage();
            if (Boolean.getBoolean("smcvertx.lab")) {
                throw new AssertionError(why, missing);
            }
            Assumptions.abort(why);
        }
        hzA = freePort();
        hzB = freePort();
        ebA = freePort();
        ebB = freePort();
        adminA = freePort();
        adminB = freePort();
        // A lists only itself, so it becomes the master without waiting for B; B joins A
        NodeOptions oa = NodeOptions.fromJson(config(adminA, hzA, ebA, List.of("127.0.0.1:" + hzA)), Handlers.binder());
        NodeOptions ob = NodeOptions.fromJson(config(adminB, hzB, ebB, List.of("127.0.0.1:" + hzA, "127.0.0.1:" + hzB)),
                Handlers.binder());
        long t0 = System.nanoTime();
        a = SmcNode.start(oa, Handlers.binder()).toCompletionStage().toCompletableFuture().get(4, TimeUnit.MINUTES);
        long t1 = System.nanoTime();
        b = SmcNode.start(ob, Handlers.binder()).toCompletionStage().toCompletableFuture().get(4, TimeUnit.MINUTES);
        System.out.printf("ClusteredEventBusIT: node A up in %d s, node B up and joined in %d s%n",
                (t1 - t0) / 1_000_000_000L, (System.nanoTime() - t1) / 1_000_000_000L);
    }

    @AfterAll
    static void stop() throws Exception {
        for (SmcNode n : new SmcNode[] {b, a}) {
            if (n != null) {
                n.stop().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
            }
        }
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(SLOW.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void eventBusTrafficBetweenTwoNodesRunsOverSmcdByTheKernelsWord() throws Exception {
        List<HazelcastInstance> members = Hazelcast.getAllHazelcastInstances().stream()
                .filter(h -> h.getConfig().getClusterName().equals("evbus-it")).toList();
        assertThat(members).hasSize(2);
        await().atMost(SLOW).until(() -> members.stream().allMatch(h -> h.getCluster().getMembers().size() == 2));

        String before = metrics(a.vertx(), adminA);
        EventBus busA = a.vertx().eventBus();
        EventBus busB = b.vertx().eventBus();
        Promise<Buffer> sentToB = Promise.promise();
        Promise<Buffer> sentToA = Promise.promise();
        Promise<String> publishedOnA = Promise.promise();
        Promise<String> publishedOnB = Promise.promise();
        get(Future.all(List.of(
                busB.<Buffer>consumer("it.b.request", m -> m.reply(Buffer.buffer("b:").appendBuffer(m.body()))).completion(),
                busA.<Buffer>consumer("it.a.request", m -> m.reply(Buffer.buffer("a:").appendBuffer(m.body()))).completion(),
                busB.<Buffer>consumer("it.b.send", m -> sentToB.tryComplete(m.body())).completion(),
                busA.<Buffer>consumer("it.a.send", m -> sentToA.tryComplete(m.body())).completion(),
                busA.<String>consumer("it.all", m -> publishedOnA.tryComplete(m.body())).completion(),
                busB.<String>consumer("it.all", m -> publishedOnB.tryComplete(m.body())).completion())));
        // a consumer registered on one node becomes visible to the other through Hazelcast: retry until it is
        Buffer payload = Buffer.buffer(new byte[PAYLOAD]);
        Buffer replyFromB = retry(() -> busA.<Buffer>request("it.b.request", payload).map(m -> m.body()));
        Buffer replyFromA = retry(() -> busB.<Buffer>request("it.a.request", payload).map(m -> m.body()));
        assertThat(replyFromB.length()).isEqualTo(PAYLOAD + 2);
        assertThat(replyFromB.getString(0, 2)).isEqualTo("b:");
        assertThat(replyFromA.getString(0, 2)).isEqualTo("a:");
        busA.send("it.b.send", Buffer.buffer("from A"));
        busB.send("it.a.send", Buffer.buffer("from B"));
        assertThat(get(sentToB.future()).toString()).isEqualTo("from A");
        assertThat(get(sentToA.future()).toString()).isEqualTo("from B");
        busA.publish("it.all", "hello all");
        assertThat(get(publishedOnA.future())).isEqualTo("hello all");
        assertThat(get(publishedOnB.future())).isEqualTo("hello all");
        Promise<String> publishedOnA2 = Promise.promise();
        Promise<String> publishedOnB2 = Promise.promise();
        get(Future.all(busA.<String>consumer("it.all2", m -> publishedOnA2.tryComplete(m.body())).completion(),
                busB.<String>consumer("it.all2", m -> publishedOnB2.tryComplete(m.body())).completion()));
        await().atMost(SLOW).until(() -> {
            busB.publish("it.all2", "from B to all");
            return publishedOnA2.future().isComplete() && publishedOnB2.future().isComplete();
        });

        // the kernel's word on each end of the two event bus connections (A -> B:ebB and B -> A:ebA)
        List<SmcConnectionInfo> endsA = eventBusEnds(a, ebA, ebB);
        List<SmcConnectionInfo> endsB = eventBusEnds(b, ebB, ebA);
        System.out.println("ClusteredEventBusIT: node A event bus ends: " + endsA.stream().map(SmcConnectionInfo::logLine).toList());
        System.out.println("ClusteredEventBusIT: node B event bus ends: " + endsB.stream().map(SmcConnectionInfo::logLine).toList());
        assertThat(endsA).extracting(SmcConnectionInfo::side).contains(Side.CLIENT, Side.SERVER);
        assertThat(endsB).extracting(SmcConnectionInfo::side).contains(Side.CLIENT, Side.SERVER);
        assertThat(endsA).allSatisfy(i -> assertThat(i.mode()).as(i.logLine()).isEqualTo(Mode.SMCD));
        assertThat(endsB).allSatisfy(i -> assertThat(i.mode()).as(i.logLine()).isEqualTo(Mode.SMCD));

        // the same from a fresh smc_diag dump, and Hazelcast's member sockets are no SMC sockets at all
        try (SmcDiag diag = SmcDiag.open(Duration.ofMillis(1), Duration.ofMinutes(2))) {
            List<SmcSocketInfo> all = diag.dump();
            List<SmcSocketInfo> eventBus = all.stream().filter(s -> !s.isListener()
                    && (Set.of(ebA, ebB).contains(s.local().getPort()) || Set.of(ebA, ebB).contains(s.peer().getPort()))).toList();
            System.out.println("ClusteredEventBusIT: smc_diag event bus sockets: "
                    + eventBus.stream().map(s -> s.local() + "->" + s.peer() + " " + s.mode()).toList());
            assertThat(eventBus).hasSizeGreaterThanOrEqualTo(4);
            assertThat(eventBus).allSatisfy(s -> assertThat(s.mode()).as(s.local() + "->" + s.peer()).isEqualTo(ConnectionMode.SMCD));
            assertThat(all).noneMatch(s -> Set.of(hzA, hzB).contains(s.local().getPort()) || Set.of(hzA, hzB).contains(s.peer().getPort()));
        }

        // /metrics: bytes under SMCD (Vert.x reports bytes in 4 KiB steps while a connection is open)
        String after = metrics(a.vertx(), adminA);
        assertThat(NodeMetricsTest.value(after, "smcvertx_connection_bytes{direction=\"written\",mode=\"SMCD\"}"))
                .isGreaterThanOrEqualTo(PAYLOAD - 4096);
        assertThat(NodeMetricsTest.value(after, "smcvertx_connection_bytes{direction=\"read\",mode=\"SMCD\"}"))
                .isGreaterThanOrEqualTo(PAYLOAD - 4096);
        String afterB = metrics(b.vertx(), adminB);
        assertThat(NodeMetricsTest.value(afterB, "smcvertx_connection_bytes{direction=\"written\",mode=\"SMCD\"}"))
                .isGreaterThanOrEqualTo(PAYLOAD - 4096);
        // the kernel's own SMC-D counters (net namespace wide): two new connections, both payloads sent
        String tx = "smcvertx_kernel_smc_stat{stat=\"smcd_tx_bytes\"}";
        System.out.println("ClusteredEventBusIT: kernel smcd_tx_bytes " + NodeMetricsTest.value(before, tx) + " -> "
                + NodeMetricsTest.value(after, tx) + ", smcd_clnt_v2_succ " + succ(before) + " -> " + succ(after));
        assertThat(NodeMetricsTest.value(after, tx) - NodeMetricsTest.value(before, tx)).isGreaterThanOrEqualTo(2.0 * PAYLOAD);
        assertThat(succ(after) - succ(before)).isGreaterThanOrEqualTo(2.0);
    }

    private static double succ(String scrape) {
        return NodeMetricsTest.value(scrape, "smcvertx_kernel_smc_stat{stat=\"smcd_clnt_v1_succ\"}")
                + NodeMetricsTest.value(scrape, "smcvertx_kernel_smc_stat{stat=\"smcd_clnt_v2_succ\"}");
    }

    private static <T> T retry(java.util.function.Supplier<Future<T>> call) throws Exception {
        long deadline = System.nanoTime() + SLOW.toNanos();
        while (true) {
            try {
                return call.get().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    /** This node's ends of the event bus connections, once the kernel has been asked about each. */
    private static List<SmcConnectionInfo> eventBusEnds(SmcNode node, int ownPort, int peerPort) {
        SmcConnections c = SmcConnections.of(node.vertx());
        String server = ":" + ownPort;
        String client = "127.0.0.1:" + peerPort;
        java.util.function.Supplier<List<SmcConnectionInfo>> ends = () -> c.open().stream()
                .filter(i -> i.side() == Side.SERVER && i.local().endsWith(server) || i.side() == Side.CLIENT && i.remote().equals(client))
                .toList();
        await().atMost(SLOW).until(() -> {
            List<SmcConnectionInfo> e = ends.get();
            return !e.isEmpty() && e.stream().noneMatch(i -> i.mode() == Mode.UNKNOWN && i.note().equals("lookup pending"));
        });
        return ends.get();
    }

    private static String metrics(Vertx vertx, int port) throws Exception {
        return get(vertx.createHttpClient().request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
                .compose(r -> r.send().compose(resp -> resp.body())).map(Buffer::toString));
    }
}
