package io.smcvertx.vertx.node;

import static io.smcvertx.vertx.lab.Lab.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.vertx.SmcConnections;
import io.smcvertx.vertx.SmcTransport;
import io.smcvertx.vertx.examples.ReadmeExampleTest;
import io.smcvertx.vertx.internal.Handlers;
import io.smcvertx.vertx.lab.Child;
import io.smcvertx.vertx.lab.Lab;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A node in the lab guest (kernel SMC, loopback-ISM), and its clients: a Vert.x on
 * {@link SmcTransport}, curl and python3. Every verdict is the kernel's (smc_diag): on the
 * client side through {@link SmcConnections}, on the node's side through its admin endpoint.
 * One node and one client Vert.x for the whole class: the guest is emulated and slow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SmcNodeIT {

    static final String HOST = "127.0.0.1";
    static final int ADMIN = 18480;
    static final int HTTP = 18481;
    static final int HTTPS = 18482;
    static final int ECHO = 18483;
    static final int RELAY = 18484;
    /** The same relay, opted out of the kernel splice ({@code splice: buffers}). */
    static final int RELAY_BUFFERS = 18485;
    /** curl's local port, so the node's view of curl's connection can be picked out. */
    static final int CURL_PORT = 18490;
    static final String KEY_PASSWORD = "changeit";
    static final String PEER_NO_SMC = "0x03010000";
    static final Duration KERNEL_ANSWER = Duration.ofSeconds(90);

    private SmcNode node;
    /** The application's side: SMC everywhere except the destination rule that sends ECHO to plain TCP. */
    private Vertx client;
    private HttpClient admin;

    @BeforeAll
    void start() throws Exception {
        Lab.requireSmc();
        NodeOptions options = NodeOptions.fromJson(config(), Handlers.binder());
        node = SmcNode.start(options, Handlers.binder()).toCompletionStage().toCompletableFuture().get(6, TimeUnit.MINUTES);
        SmcPolicy policy = SmcPolicy.builder().destination(HOST + "/32", ECHO, SmcPolicy.Use.TCP).build();
        client = Vertx.builder().withTransport(SmcTransport.create(policy)).build();
        // one long-lived admin connection, so the node's counters move only with the connections under test
        admin = client.createHttpClient(new HttpClientOptions().setKeepAliveTimeout(600), new PoolOptions().setHttp1MaxSize(1));
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            join(client.close());
        }
        if (node != null) {
            join(node.stop());
        }
    }

    static JsonObject config() {
        String key = Lab.resource("tls/lab-server.p12").toString();
        return new JsonObject()
                .put("admin", new JsonObject().put("host", HOST).put("port", ADMIN))
                .put("hazelcast", new JsonObject().put("enabled", false))
                .put("shutdownSeconds", 5)
                .put("listeners", new JsonArray()
                        .add(listener("web", "http", HTTP, new JsonObject().put("name", "http")))
                        .add(listener("web-tls", "http", HTTPS, new JsonObject().put("name", "http"))
                                .put("tls", new JsonObject().put("keyStore", key).put("keyStorePassword", KEY_PASSWORD)
                                        .put("handshakeTimeoutSeconds", Lab.TIMEOUT_SECONDS)))
                        .add(listener("echo", "tcp", ECHO, new JsonObject().put("name", "echo")))
                        .add(listener("relay", "tcp", RELAY, new JsonObject().put("name", "relay")
                                .put("host", HOST).put("port", ECHO).put("connectTimeoutMs", 120_000)))
                        .add(listener("relay-buffers", "tcp", RELAY_BUFFERS, new JsonObject().put("name", "relay")
                                .put("host", HOST).put("port", ECHO).put("connectTimeoutMs", 120_000).put("splice", "buffers"))));
    }

    static JsonObject listener(String name, String protocol, int port, JsonObject handler) {
        return new JsonObject().put("name", name).put("protocol", protocol).put("host", HOST).put("port", port)
                .put("drainSeconds", 1).put("handler", handler);
    }

    @Test
    @Order(1)
    void httpBetweenVertxInstancesIsSmcdAtBothEndsAndStatusCountsIt() throws Exception {
        long smcdBefore = settledStatus().getJsonObject("connections").getJsonObject("totalByMode").getLong("SMCD", 0L);
        HttpClient http = client.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(1));
        try {
            Reply health = request(http, HttpMethod.GET, HTTP, "/health", null);
            assertThat(health.json()).isEqualTo(new JsonObject().put("status", "UP"));
            for (int i = 0; i < 3; i++) {
                JsonObject doc = new JsonObject().put("hello", "smc").put("i", i);
                Reply echo = request(http, HttpMethod.POST, HTTP, "/echo", doc);
                assertThat(echo.json()).isEqualTo(doc);
                assertThat(address(echo.connection().localAddress())).as("one pooled connection")
                        .isEqualTo(address(health.connection().localAddress()));
            }

            SmcConnectionInfo clientSide = join(SmcConnections.of(client).info(health.connection()));
            JsonObject nodeSide = nodeView(HTTP, address(health.connection().localAddress()));
            System.out.println("http: client " + clientSide.logLine() + " | node " + nodeSide.encode());
            assertThat(clientSide.mode()).as(clientSide.logLine()).isEqualTo(ConnectionMode.SMCD);
            assertThat(nodeSide.getString("mode")).as(nodeSide.encode()).isEqualTo("SMCD");

            JsonObject status = status();
            assertThat(listening(status, "web")).isEqualTo("SMC");
            JsonObject counts = status.getJsonObject("connections");
            System.out.println("http: /status connections " + counts.encode());
            assertThat(counts.getJsonObject("totalByMode").getLong("SMCD", 0L)).isGreaterThanOrEqualTo(smcdBefore + 1);
            assertThat(counts.getJsonObject("openByMode").getLong("SMCD", 0L)).as("this connection and the admin one")
                    .isGreaterThanOrEqualTo(2L);
        } finally {
            join(http.close());
        }
    }

    @Test
    @Order(2)
    void curlGetsCorrectAnswersAndTheNodeReportsItAsFallbackPeerNoSmc() throws Exception {
        Child.Result health = Child.start("/usr/bin/curl", "-sS", "--max-time", "120", url("/health")).finish();
        assertThat(health.status()).as(health.output()).isZero();
        assertThat(new JsonObject(health.output())).isEqualTo(new JsonObject().put("status", "UP"));

        // curl streams the body from stdin, so its connection is open while the node is asked about it
        try (Child curl = Child.start("/usr/bin/curl", "-sS", "--max-time", "300", "--local-port", String.valueOf(CURL_PORT),
                "-X", "POST", "-H", "content-type: application/json", "-H", "Expect:", "-T", "-", url("/echo"))) {
            curl.write("{\"from\": \"curl\", ");
            JsonObject nodeSide = nodeView(HTTP, HOST + ":" + CURL_PORT);
            System.out.println("curl: node " + nodeSide.encode());
            assertThat(nodeSide.getString("mode")).as(nodeSide.encode()).isEqualTo("FALLBACK_TCP");
            assertThat(nodeSide.getString("fallbackReason")).as(nodeSide.encode()).isEqualTo(PEER_NO_SMC);
            curl.write("\"n\": 2}");
            Child.Result echo = curl.finish();
            assertThat(echo.status()).as(echo.output()).isZero();
            assertThat(new JsonObject(echo.output())).isEqualTo(new JsonObject().put("from", "curl").put("n", 2));
        }
        JsonObject fallbacks = status().getJsonObject("connections").getJsonObject("fallbacksByReason");
        System.out.println("curl: /status fallbacksByReason " + fallbacks.encode());
        assertThat(fallbacks.getLong(PEER_NO_SMC, 0L)).isGreaterThanOrEqualTo(1L);
    }

    @Test
    @Order(3)
    void httpsOverSmcIsSmcdAtBothEnds() throws Exception {
        HttpClientOptions tls = new HttpClientOptions().setSsl(true)
                .setTrustOptions(new PfxOptions().setPath(Lab.resource("tls/lab-server.p12").toString()).setPassword(KEY_PASSWORD))
                .setSslHandshakeTimeout(Lab.TIMEOUT_SECONDS).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS)
                .setConnectTimeout((int) TimeUnit.SECONDS.toMillis(Lab.TIMEOUT_SECONDS));
        HttpClient https = client.createHttpClient(tls, new PoolOptions().setHttp1MaxSize(1));
        try {
            long t0 = System.nanoTime();
            Reply health = request(https, HttpMethod.GET, HTTPS, "/health", null);
            System.out.printf("https: first request (TLS handshake included) %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(health.json()).isEqualTo(new JsonObject().put("status", "UP"));
            assertThat(health.connection().isSsl()).isTrue();
            JsonObject doc = new JsonObject().put("over", "tls+smc");
            assertThat(request(https, HttpMethod.POST, HTTPS, "/echo", doc).json()).isEqualTo(doc);

            SmcConnectionInfo clientSide = join(SmcConnections.of(client).info(health.connection()));
            JsonObject nodeSide = nodeView(HTTPS, address(health.connection().localAddress()));
            System.out.println("https: client " + clientSide.logLine() + " | node " + nodeSide.encode());
            assertThat(clientSide.mode()).as(clientSide.logLine()).isEqualTo(ConnectionMode.SMCD);
            assertThat(nodeSide.getString("mode")).as(nodeSide.encode()).isEqualTo("SMCD");
        } finally {
            join(https.close());
        }
    }

    /** A python3 client: plain TCP, sends random bytes while it reads the echo, then waits for stdin to close. */
    static final String RELAY_CLIENT = """
            import hashlib, os, socket, sys, threading
            port, n = int(sys.argv[1]), int(sys.argv[2])
            s = socket.create_connection(("127.0.0.1", port), timeout=300)
            print("local", s.getsockname()[1], flush=True)
            data = os.urandom(n)
            threading.Thread(target=s.sendall, args=(data,), daemon=True).start()
            got = bytearray()
            while len(got) < n:
                b = s.recv(65536)
                if not b:
                    break
                got += b
            print("sha256", hashlib.sha256(data).hexdigest(), hashlib.sha256(got).hexdigest(), len(got), flush=True)
            sys.stdin.read()
            s.close()
            """;

    /** Pipes the relay held while the buffer-splice relay's connection was open (its own: none). */
    private long pipesWithBufferRelay = -1;

    @Test
    @Order(4)
    void relayWithTheBufferSpliceGivesAPlainTcpClientAnSmcdUpstream() throws Exception {
        pipesWithBufferRelay = relayOverSmcd(RELAY_BUFFERS);
    }

    /**
     * The default, the kernel splice: every byte comes back, none was spliced out of an SMC-D
     * socket, and the relay really took that path: it holds two pipes more than the buffer splice did.
     */
    @Test
    @Order(5)
    void relayWithTheKernelSpliceGivesAPlainTcpClientAnSmcdUpstream() throws Exception {
        long pipes = relayOverSmcd(RELAY);
        if (pipesWithBufferRelay >= 0) {
            assertThat(pipes - pipesWithBufferRelay).as("pipe descriptors of the kernel splice (two pipes)").isEqualTo(4);
        }
    }

    /**
     * 1 MiB from a plain TCP python client through the relay on {@code port} to the node's echo
     * over SMC-D and back, checked by sha256; returns the pipe descriptors this JVM held while the
     * connection was open.
     */
    private long relayOverSmcd(int port) throws Exception {
        int bytes = 1 << 20;
        // the relay never splices out of an SMC socket (its opt-in kernel splice reads and writes
        // such bytes): splice_cnt counts splice reads from SMC-D sockets, the kernel's word
        long splicesBefore = SmcKernel.netlink().stats().smcd("splice_cnt");
        try (Child python = Child.python(RELAY_CLIENT, port, bytes)) {
            String clientPort = python.expect("local");
            String[] sums = python.expect("sha256").split(" ");
            assertThat(Integer.parseInt(sums[2])).as("bytes that came back").isEqualTo(bytes);
            assertThat(sums[1]).as("sha256 of what came back").isEqualTo(sums[0]);
            long pipes = pipeDescriptors();

            JsonObject clientLeg = nodeView(port, HOST + ":" + clientPort);
            JsonObject upstreamOut = await("the relay's upstream connection").atMost(KERNEL_ANSWER)
                    .until(() -> known(connections(), "CLIENT", null, HOST + ":" + ECHO), Optional::isPresent).orElseThrow();
            JsonObject upstreamIn = nodeView(ECHO, upstreamOut.getString("local"));
            System.out.println("relay :" + port + ": client leg " + clientLeg.encode() + " | upstream " + upstreamOut.encode()
                    + " | echo side " + upstreamIn.encode() + " | pipes held " + pipes);
            assertThat(clientLeg.getString("mode")).as(clientLeg.encode()).isEqualTo("FALLBACK_TCP");
            assertThat(clientLeg.getString("fallbackReason")).as(clientLeg.encode()).isEqualTo(PEER_NO_SMC);
            assertThat(upstreamOut.getString("mode")).as(upstreamOut.encode()).isEqualTo("SMCD");
            assertThat(upstreamIn.getString("mode")).as(upstreamIn.encode()).isEqualTo("SMCD");
            long splices = SmcKernel.netlink().stats().smcd("splice_cnt") - splicesBefore;
            System.out.println("relay :" + port + ": the kernel counted " + splices + " splice reads from SMC-D sockets");
            assertThat(splices).as("SMC-D splice_cnt: no splice out of an SMC socket").isZero();
            assertThat(python.finish().status()).isZero();
            // the next relay case finds its own upstream connection, not this one
            await("the relay's upstream connection closed").atMost(KERNEL_ANSWER)
                    .until(() -> known(connections(), "CLIENT", null, HOST + ":" + ECHO).isEmpty());
            return pipes;
        }
    }

    /** Pipes among this JVM's descriptors (the kernel's list, {@code /proc/self/fd}). */
    private static long pipeDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("pipe:");
                } catch (IOException e) {
                    return false; // the directory's own descriptor, closed by now
                }
            }).count();
        }
    }

    @Test
    @Order(6)
    void destinationRuleTcpMakesTheKernelFallBackBeforeConnect() throws Exception {
        // held until the socket is closed: Vert.x 5 closes an unreachable NetClient with its connections on GC
        NetClient net = client.createNetClient();
        NetSocket socket = join(net.connect(ECHO, HOST));
        try {
            Buffer sent = Buffer.buffer("over the destination rule: plain TCP\n".repeat(100));
            assertThat(Lab.echo(socket, sent)).isEqualTo(sent);
            SmcConnectionInfo clientSide = join(SmcConnections.of(client).info(socket));
            JsonObject nodeSide = nodeView(ECHO, address(socket.localAddress()));
            System.out.println("tcp rule: client " + clientSide.logLine() + " | node " + nodeSide.encode());
            assertThat(clientSide.mode()).as(clientSide.logLine()).isEqualTo(ConnectionMode.FALLBACK_TCP);
            assertThat(clientSide.fallbackReasonHex()).as(clientSide.logLine()).isEqualTo("0x03060000");
            assertThat(clientSide.note()).isEqualTo("policy: plain TCP");
            // the client's SYN carried no SMC option: to the node it is a peer without SMC
            assertThat(nodeSide.getString("mode")).as(nodeSide.encode()).isEqualTo("FALLBACK_TCP");
            assertThat(nodeSide.getString("fallbackReason")).as(nodeSide.encode()).isEqualTo(PEER_NO_SMC);
        } finally {
            join(socket.close());
            join(net.close());
        }
    }

    @Test
    @Order(7)
    void readmeExampleIsSmcdInTheLab() throws Exception {
        ReadmeExampleTest.Run run = ReadmeExampleTest.runExample();
        try {
            System.out.println("readme: " + run.info().logLine());
            assertThat(run.info().mode()).as(run.info().logLine()).isEqualTo(ConnectionMode.SMCD);
        } finally {
            join(run.vertx().close());
        }
    }

    // ---- helpers ----

    record Reply(int status, Buffer body, HttpConnection connection) {
        JsonObject json() {
            assertThat(status).as(body.toString()).isEqualTo(200);
            return body.toJsonObject();
        }
    }

    private static Reply request(HttpClient http, HttpMethod method, int port, String path, JsonObject body) throws Exception {
        return join(http.request(method, port, HOST, path).compose(req -> {
            Future<HttpClientResponse> sent = body == null ? req.send()
                    : req.putHeader("content-type", "application/json").send(body.toBuffer());
            return sent.compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b, req.connection())));
        }));
    }

    private static String url(String path) {
        return "http://" + HOST + ":" + HTTP + path;
    }

    private static String address(SocketAddress a) {
        return a.hostAddress() + ":" + a.port();
    }

    private Buffer admin(String path) throws Exception {
        Reply r = request(admin, HttpMethod.GET, ADMIN, path, null);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body();
    }

    private JsonObject status() throws Exception {
        return admin("/status").toJsonObject();
    }

    private static String listening(JsonObject status, String listener) {
        return status.getJsonArray("listeners").stream().map(JsonObject.class::cast)
                .filter(l -> listener.equals(l.getString("name"))).findFirst().orElseThrow().getString("listening");
    }

    private JsonArray connections() throws Exception {
        return new JsonArray(admin("/connections"));
    }

    /** /status once the kernel has answered for every open connection, so its counters stand still. */
    private JsonObject settledStatus() throws Exception {
        await("every open connection classified").atMost(KERNEL_ANSWER)
                .until(() -> connections().stream().map(JsonObject.class::cast).noneMatch(c -> "UNKNOWN".equals(c.getString("mode"))));
        return status();
    }

    /** The node's kernel view of the connection between its port {@code port} and {@code peer}. */
    private JsonObject nodeView(int port, String peer) {
        return await("the node's view of " + peer + " -> " + HOST + ":" + port).atMost(KERNEL_ANSWER)
                .until(() -> known(connections(), "SERVER", HOST + ":" + port, peer), Optional::isPresent).orElseThrow();
    }

    /** The entry with these addresses (null: any) once smc_diag has answered for it. */
    private static Optional<JsonObject> known(JsonArray all, String side, String local, String remote) {
        return all.stream().map(JsonObject.class::cast)
                .filter(c -> side.equals(c.getString("side")))
                .filter(c -> local == null || local.equals(c.getString("local")))
                .filter(c -> remote == null || remote.equals(c.getString("remote")))
                .filter(c -> !"UNKNOWN".equals(c.getString("mode")))
                .findFirst();
    }
}
