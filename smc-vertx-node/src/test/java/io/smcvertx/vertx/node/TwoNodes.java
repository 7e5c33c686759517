package io.smcvertx.vertx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo.Side;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.vertx.SmcConnections;
import io.smcvertx.vertx.internal.Handlers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Two clustered nodes in this JVM (for the host test and the lab IT): node A's Hazelcast member
 * lists only itself, so it becomes the master at once; B joins A over tcp-ip on 127.0.0.1. Each
 * node runs Vert.x clustered on its own SmcTransport and event bus port.
 */
final class TwoNodes {

    static final Duration SLOW = Duration.ofMinutes(4);
    /** Keeps Hazelcast's INFO chatter (hundreds of lines per member) off the lab console. */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    final String clusterName;
    final int hzA, hzB, ebA, ebB, adminA, adminB;
    SmcNode a, b;

    private TwoNodes(String clusterName) throws Exception {
        this.clusterName = clusterName;
        hzA = freePort();
        hzB = freePort();
        ebA = freePort();
        ebB = freePort();
        adminA = freePort();
        adminB = freePort();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private JsonObject config(int admin, int hz, int eb, List<String> members) {
        return new JsonObject()
                .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", admin))
                .put("hazelcast", new JsonObject().put("enabled", true).put("interface", "127.0.0.1").put("port", hz)
                        .put("clusterName", clusterName).put("clustered", true).put("eventBusPort", eb)
                        .put("members", new JsonArray(members)))
                .put("listeners", new JsonArray());
    }

    /** Starts A, then B; blocks while the members join. */
    static TwoNodes start(String clusterName) throws Exception {
        HAZELCAST_LOG.setLevel(Level.WARNING);
        TwoNodes t = new TwoNodes(clusterName);
        NodeOptions oa = NodeOptions.fromJson(t.config(t.adminA, t.hzA, t.ebA, List.of("127.0.0.1:" + t.hzA)), Handlers.binder());
        NodeOptions ob = NodeOptions.fromJson(t.config(t.adminB, t.hzB, t.ebB,
                List.of("127.0.0.1:" + t.hzA, "127.0.0.1:" + t.hzB)), Handlers.binder());
        long t0 = System.nanoTime();
        t.a = SmcNode.start(oa, Handlers.binder()).toCompletionStage().toCompletableFuture().get(4, TimeUnit.MINUTES);
        long t1 = System.nanoTime();
        t.b = SmcNode.start(ob, Handlers.binder()).toCompletionStage().toCompletableFuture().get(4, TimeUnit.MINUTES);
        System.out.printf("TwoNodes %s: node A up in %d s, node B up and joined in %d s%n", clusterName,
                (t1 - t0) / 1_000_000_000L, (System.nanoTime() - t1) / 1_000_000_000L);
        return t;
    }

    void stop() throws Exception {
        for (SmcNode n : new SmcNode[] {b, a}) {
            if (n != null) {
                n.stop().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
            }
        }
    }

    static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(SLOW.toSeconds(), TimeUnit.SECONDS);
    }

    /** Both members see a cluster of two. */
    void awaitCluster() {
        List<HazelcastInstance> members = Hazelcast.getAllHazelcastInstances().stream()
                .filter(h -> h.getConfig().getClusterName().equals(clusterName)).toList();
        assertThat(members).hasSize(2);
        await().atMost(SLOW).until(() -> members.stream().allMatch(h -> h.getCluster().getMembers().size() == 2));
    }

    /** Send, request/reply (with {@code payload} bytes) and publish, from A to B and from B to A; asserts each arrives. */
    void traffic(int payload) throws Exception {
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
        // a consumer registered on one node reaches the other through Hazelcast: retry until it did
        Buffer body = Buffer.buffer(new byte[payload]);
        Buffer replyFromB = retry(() -> busA.<Buffer>request("it.b.request", body).map(m -> m.body()));
        Buffer replyFromA = retry(() -> busB.<Buffer>request("it.a.request", body).map(m -> m.body()));
        assertThat(replyFromB.length()).isEqualTo(payload + 2);
        assertThat(replyFromB.getString(0, 2)).isEqualTo("b:");
        assertThat(replyFromA.length()).isEqualTo(payload + 2);
        assertThat(replyFromA.getString(0, 2)).isEqualTo("a:");
        busA.send("it.b.send", Buffer.buffer("from A"));
        busB.send("it.a.send", Buffer.buffer("from B"));
        assertThat(get(sentToB.future()).toString()).isEqualTo("from A");
        assertThat(get(sentToA.future()).toString()).isEqualTo("from B");
        busA.publish("it.all", "from A to all");
        assertThat(get(publishedOnA.future())).isEqualTo("from A to all");
        assertThat(get(publishedOnB.future())).isEqualTo("from A to all");
        Promise<String> publishedOnA2 = Promise.promise();
        Promise<String> publishedOnB2 = Promise.promise();
        get(Future.all(busA.<String>consumer("it.all2", m -> publishedOnA2.tryComplete(m.body())).completion(),
                busB.<String>consumer("it.all2", m -> publishedOnB2.tryComplete(m.body())).completion()));
        await().atMost(SLOW).pollInterval(Duration.ofMillis(500)).until(() -> {
            busB.publish("it.all2", "from B to all");
            return publishedOnA2.future().isComplete() && publishedOnB2.future().isComplete();
        });
        assertThat(publishedOnA2.future().result()).isEqualTo("from B to all");
    }

    private static <T> T retry(Supplier<Future<T>> call) throws Exception {
        long deadline = System.nanoTime() + SLOW.toNanos();
        while (true) {
            try {
                return call.get().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    /** A node's ends of the event bus connections, once the kernel has been asked about each. */
    static List<SmcConnectionInfo> eventBusEnds(SmcNode node, int ownPort, int peerPort) {
        SmcConnections c = SmcConnections.of(node.vertx());
        String server = ":" + ownPort;
        String client = "127.0.0.1:" + peerPort;
        Supplier<List<SmcConnectionInfo>> ends = () -> c.open().stream()
                .filter(i -> i.side() == Side.SERVER && i.local().endsWith(server) || i.side() == Side.CLIENT && i.remote().equals(client))
                .toList();
        await().atMost(SLOW).until(() -> {
            List<SmcConnectionInfo> e = ends.get();
            return !e.isEmpty() && e.stream().noneMatch(i -> i.mode() == ConnectionMode.UNKNOWN && i.note().equals("lookup pending"));
        });
        return ends.get();
    }

    /** GET {@code path} of a node's admin endpoint (from that node's own Vert.x). */
    static String admin(SmcNode node, int port, String path) throws Exception {
        // held and closed here: Vert.x 5 closes a client that becomes unreachable, mid-request too
        io.vertx.core.http.HttpClient client = node.vertx().createHttpClient();
        try {
            return get(client.request(HttpMethod.GET, port, "127.0.0.1", path)
                    .compose(r -> r.send().compose(resp -> resp.body())).map(Buffer::toString));
        } finally {
            client.close();
        }
    }
}
