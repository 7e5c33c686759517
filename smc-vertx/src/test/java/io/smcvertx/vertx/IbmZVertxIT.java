package io.smcvertx.vertx;

import static io.smcvertx.vertx.lab.Lab.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.transport.system.SeidState;
import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.vertx.examples.ReadmeExampleTest;
import io.smcvertx.vertx.lab.Child;
import io.smcvertx.vertx.lab.Lab;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Vert.x on IBM Z (the lab's s390x guest): Netty has no native epoll for s390x, so the SMC
 * transport runs on JDK NIO. SMC-Dv2 rests on the SEID alone (the harness configures no UEID,
 * checked first); the kernel's word (smc_diag, by inode) decides every mode: NetServer/NetClient
 * and HttpServer/HttpClient are SMCD at both ends, curl (a plain TCP client) is FALLBACK_TCP with
 * 0x03010000 at the listener, and the README's example prints SMCD. Tagged {@code ibmz}.
 */
@Tag("ibmz")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class IbmZVertxIT {

    static final String HOST = "127.0.0.1";

    private Vertx vertx;
    private SmcConnections smc;
    private String seid;

    @BeforeAll
    void start() throws Exception {
        Lab.requireSmc();
        if (!"s390x".equals(System.getProperty("os.arch"))) {
            Assertions.fail("needs an IBM Z (s390x) kernel, this is " + System.getProperty("os.arch"));
        }
        SmcKernel k = SmcKernel.netlink();
        SeidState s = k.seid();
        assertThat(k.ueids()).as("SEID alone: the harness runs this leg with no UEID").isEmpty();
        assertThat(s.enabled()).as("the kernel's SEID switch").isTrue();
        seid = s.seid().orElseThrow();
        // the README's one line, unchanged: on s390x it must pick JDK NIO by itself and say why
        SmcTransport transport = SmcTransport.create();
        System.out.println("IbmZVertxIT: SEID " + seid + " enabled, no UEID; " + transport.nettyTransportReason());
        assertThat(io.netty.channel.epoll.Epoll.isAvailable()).as("Netty ships no native epoll for s390x").isFalse();
        assertThat(transport.nettyTransportReason()).containsIgnoringCase("nio");
        vertx = Vertx.builder().withTransport(transport).build();
        smc = SmcConnections.of(vertx);
        assertThat(smc.smcAvailable()).as(smc.smcUnavailabilityCause().orElse("")).isTrue();
    }

    @AfterAll
    void stop() throws Exception {
        if (vertx != null) {
            join(vertx.close());
        }
    }

    @Test
    void theReadmeExampleReportsSmcd() throws Exception {
        ReadmeExampleTest.Run run = ReadmeExampleTest.runExample();
        try {
            assertThat(run.info().mode()).as(run.info().logLine()).isEqualTo(ConnectionMode.SMCD);
        } finally {
            join(run.vertx().close());
        }
    }

    @Test
    void netServerAndNetClientAreSmcdAtBothEnds() throws Exception {
        Promise<NetSocket> accepted = Promise.promise();
        java.util.Queue<String> serverSide = new java.util.concurrent.ConcurrentLinkedQueue<>();
        NetServer server = vertx.createNetServer().connectHandler(s -> {
            s.handler(s::write);
            s.exceptionHandler(e -> serverSide.add("exception " + e));
            s.closeHandler(v -> serverSide.add("closed"));
            accepted.tryComplete(s);
        }).exceptionHandler(e -> serverSide.add("listener exception " + e));
        int port = join(server.listen(0, HOST)).actualPort();
        SmcKernel k = SmcKernel.netlink();
        io.smcvertx.transport.system.SmcStats before = k.stats();
        try {
            // held until the end: Vert.x 5 closes an unreachable NetClient (CleanableNetClient) and its
            // connections when the GC runs, which the slow s390x guest's echo of 120 KB gave it time for
            NetClient netClient = vertx.createNetClient();
            NetSocket client = join(netClient.connect(port, HOST));
            client.exceptionHandler(e -> serverSide.add("client exception " + e));
            Buffer sent = Buffer.buffer("s390x ".repeat(20_000));
            try {
                assertThat(Lab.echo(client, sent)).isEqualTo(sent);
            } catch (Exception | AssertionError e) {
                // the kernel's account of that connection: did a handshake fail, or fall back, and why
                io.smcvertx.transport.system.SmcStats after = k.stats();
                throw new AssertionError("echo failed (" + e + "); server side " + serverSide + ", accepted "
                        + accepted.future().isComplete()
                        + "; kernel: handshake errors client "
                        + before.clientHandshakeErrors() + "->" + after.clientHandshakeErrors() + ", server "
                        + before.serverHandshakeErrors() + "->" + after.serverHandshakeErrors() + ", smcd "
                        + after.smcd() + ", fallbacks " + k.fallbackStats(), e);
            }
            SmcConnectionInfo c = join(smc.info(client));
            SmcConnectionInfo s = join(smc.info(join(accepted.future())));
            System.out.println("IbmZVertxIT net: client " + c.logLine() + " | server " + s.logLine());
            assertThat(c.mode()).as(c.logLine()).isEqualTo(ConnectionMode.SMCD);
            assertThat(s.mode()).as(s.logLine()).isEqualTo(ConnectionMode.SMCD);
            join(client.close());
            join(netClient.close());
        } finally {
            join(server.close());
        }
    }

    @Test
    void httpServerAndClientAreSmcdAtBothEndsAndCurlFallsBackWithPeerNoSmc() throws Exception {
        // the listener asks the kernel about each connection before it answers, so the peer is still there
        java.util.Queue<io.vertx.core.AsyncResult<SmcConnectionInfo>> served = new java.util.concurrent.ConcurrentLinkedQueue<>();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> smc.info(req.connection())
                .onComplete(info -> {
                    served.add(info);
                    req.response().end("z says hi");
                }));
        int port = join(server.listen(0, HOST)).actualPort();
        HttpClient http = vertx.createHttpClient();
        try {
            HttpConnection connection = join(http.request(HttpMethod.GET, port, HOST, "/").compose(req -> req.send()
                    .compose(HttpClientResponse::body)
                    .map(body -> {
                        assertThat(body.toString()).isEqualTo("z says hi");
                        return req.connection();
                    })));
            SmcConnectionInfo c = join(smc.info(connection));
            SmcConnectionInfo s = served(served);
            System.out.println("IbmZVertxIT http: client " + c.logLine() + " | server " + s.logLine());
            assertThat(c.mode()).as(c.logLine()).isEqualTo(ConnectionMode.SMCD);
            assertThat(s.mode()).as(s.logLine()).isEqualTo(ConnectionMode.SMCD);

            // a client no one here wrote, over plain TCP: the listener's end falls back, the peer offered no SMC
            try (Child curl = Child.start("/usr/bin/curl", "-sS", "--max-time", "120", "-H", "Connection: keep-alive",
                    "http://" + HOST + ":" + port + "/")) {
                assertThat(curl.readLine()).isEqualTo("z says hi");
            }
            SmcConnectionInfo viaCurl = served(served);
            System.out.println("IbmZVertxIT curl: server " + viaCurl.logLine());
            assertThat(viaCurl.mode()).as(viaCurl.logLine()).isEqualTo(ConnectionMode.FALLBACK_TCP);
            assertThat(viaCurl.fallbackReason()).as(viaCurl.logLine()).isEqualTo(0x03010000);
        } finally {
            join(http.close());
            join(server.close());
        }
    }

    private static SmcConnectionInfo served(java.util.Queue<io.vertx.core.AsyncResult<SmcConnectionInfo>> q) {
        io.vertx.core.AsyncResult<SmcConnectionInfo> r = q.remove();
        assertThat(r.succeeded()).as(String.valueOf(r.cause())).isTrue();
        return r.result();
    }
}
