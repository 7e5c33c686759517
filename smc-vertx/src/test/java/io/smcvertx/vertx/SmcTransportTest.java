package io.smcvertx.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** On this host's kernel (no SMC): the transport still carries Vert.x TCP and HTTP, and says why it is TCP. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SmcTransportTest {

    private Vertx vertx;

    @BeforeEach
    void start() {
        SmcTransport transport = SmcTransport.create();
        assertThat(transport.available()).as("Netty native epoll").isTrue();
        vertx = Vertx.builder().withTransport(transport).build();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void installsItselfAndRecordsWhySmcIsUnavailable() {
        SmcConnections c = SmcConnections.of(vertx);
        assertThat(vertx.isNativeTransportEnabled()).isTrue();
        assertThat(c.smcAvailable()).isFalse();
        assertThat(c.smcUnavailabilityCause()).isPresent().get().asString().isNotBlank();
        Vertx plain = Vertx.vertx();
        try {
            assertThat(SmcConnections.find(plain)).isEmpty();
        } finally {
            plain.close();
        }
    }

    @Test
    void netServerAndNetClientRoundTrip(VertxTestContext ctx) {
        Checkpoint serverSawInfo = ctx.checkpoint();
        Checkpoint clientGotEcho = ctx.checkpoint();
        Checkpoint clientSawInfo = ctx.checkpoint();
        SmcConnections conns = SmcConnections.of(vertx);
        NetServer server = vertx.createNetServer().connectHandler(socket -> {
            conns.info(socket).onComplete(ctx.succeeding(info -> ctx.verify(() -> {
                assertThat(info.mode()).isEqualTo(ConnectionMode.TCP);
                assertThat(info.side()).isEqualTo(SmcConnectionInfo.Side.SERVER);
                assertThat(info.note()).startsWith("SMC unavailable: ");
                serverSawInfo.flag();
            })));
            socket.handler(socket::write);
        });
        // referenced by the socket's handler, so it stays reachable while the connection is open: Vert.x 5
        // closes an unreachable NetClient (CleanableNetClient, a Cleaner) with its connections on GC
        NetClient client = vertx.createNetClient(new NetClientOptions());
        server.listen(0, "127.0.0.1").compose(s -> client.connect(s.actualPort(), "127.0.0.1"))
                .onComplete(ctx.succeeding(socket -> {
                    Buffer got = Buffer.buffer();
                    socket.handler(b -> {
                        got.appendBuffer(b);
                        if (got.length() == 5) {
                            ctx.verify(() -> assertThat(got.toString()).isEqualTo("hello"));
                            assertThat(client).isNotNull();
                            clientGotEcho.flag();
                        }
                    });
                    socket.write("hello");
                    conns.info(socket).onComplete(ctx.succeeding(info -> ctx.verify(() -> {
                        assertThat(info.mode()).isEqualTo(ConnectionMode.TCP);
                        assertThat(info.side()).isEqualTo(SmcConnectionInfo.Side.CLIENT);
                        assertThat(info.remote()).isEqualTo("127.0.0.1:" + server.actualPort());
                        assertThat(conns.listeners()).containsEntry("127.0.0.1:" + server.actualPort(), "TCP (SMC unavailable)");
                        clientSawInfo.flag();
                    })));
                }));
    }

    @Test
    void httpServerAndHttpClientRoundTrip(VertxTestContext ctx) {
        Checkpoint responses = ctx.checkpoint(3);
        Checkpoint connectionInfo = ctx.checkpoint();
        SmcConnections conns = SmcConnections.of(vertx);
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/info")) {
                conns.info(req.connection()).onComplete(ar -> req.response()
                        .end(ar.succeeded() ? ar.result().mode().name() : "failed: " + ar.cause().getMessage()));
            } else {
                req.body().onSuccess(body -> req.response().end("echo:" + body));
            }
        });
        var client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
        server.listen(0, "127.0.0.1").onComplete(ctx.succeeding(s -> {
            for (int i = 0; i < 3; i++) {
                String payload = "p" + i;
                client.request(HttpMethod.POST, s.actualPort(), "127.0.0.1", "/")
                        .compose(req -> req.send(payload).compose(resp -> resp.body()))
                        .onComplete(ctx.succeeding(body -> ctx.verify(() -> {
                            assertThat(body.toString()).isEqualTo("echo:" + payload);
                            responses.flag();
                        })));
            }
            client.request(HttpMethod.GET, s.actualPort(), "127.0.0.1", "/info")
                    .compose(req -> req.send().compose(resp -> resp.body()))
                    .onComplete(ctx.succeeding(body -> ctx.verify(() -> {
                        assertThat(body.toString()).isEqualTo("TCP");
                        connectionInfo.flag();
                    })));
        }));
    }

    @Test
    void unixDomainSocketsPassThrough(VertxTestContext ctx) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("smc-uds");
        io.vertx.core.net.SocketAddress uds = io.vertx.core.net.SocketAddress.domainSocketAddress(dir.resolve("s.sock").toString());
        // server and client stay reachable until the echo: Vert.x 5 closes an unreachable NetServer or
        // NetClient (CleanableNetServer/CleanableNetClient) and its connections when the GC runs
        NetServer server = vertx.createNetServer().connectHandler(s -> s.handler(s::write));
        NetClient client = vertx.createNetClient();
        server.listen(uds)
                .onFailure(e -> System.err.println("uds listen failed: " + e))
                .compose(s -> client.connect(uds))
                .onFailure(e -> System.err.println("uds connect failed: " + e))
                .onComplete(ctx.succeeding(socket -> {
                    socket.handler(b -> ctx.verify(() -> {
                        assertThat(b.toString()).isEqualTo("uds");
                        assertThat(server.actualPort()).as("a domain socket listener has no port").isEqualTo(-1);
                        assertThat(client).isNotNull();
                        assertThat(SmcConnections.of(vertx).open()).as("domain sockets are not tracked").isEmpty();
                        ctx.completeNow();
                    }));
                    socket.write("uds");
                }));
    }
}
