package io.smcvertx.vertx4;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** On this host's kernel (no SMC): Vert.x 4.5 on the transport carries TCP and HTTP and tells why it is TCP. */
class SmcVertx4TransportTest {

    private SmcVertx4Transport transport;
    private Vertx vertx;

    @BeforeEach
    void start() {
        transport = SmcVertx4Transport.create(SmcPolicy.DEFAULT);
        vertx = transport.vertxBuilder(new VertxOptions()).init().vertx();
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
    }

    @Test
    void vertxRunsOnItAndKnowsWhySmcIsUnavailable() {
        assertThat(vertx.isNativeTransportEnabled()).as("Vert.x on epoll, as smc-netty41 chose").isTrue();
        assertThat(transport.smcAvailable()).isFalse();
        assertThat(transport.smcUnavailabilityCause()).get().asString().contains("EAFNOSUPPORT");
    }

    @Test
    void httpRequestsAreServedAndTheirConnectionIsTracked() throws Exception {
        SmcConnections4 conns = new SmcConnections4(transport.smc().tracker());
        HttpServer server = await(vertx.createHttpServer().requestHandler(req -> conns.info(req.connection())
                .whenComplete((info, err) -> req.response().end(err == null ? info.mode() + " " + info.side() : "failed: " + err)))
                .listen(0, "127.0.0.1"));
        HttpClient client = vertx.createHttpClient();
        for (int i = 0; i < 2; i++) {
            String body = await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
                    .compose(req -> req.send().compose(resp -> resp.body()))).toString();
            assertThat(body).isEqualTo("TCP SERVER");
        }
        assertThat(transport.smc().tracker().openByMode()).containsKey(ConnectionMode.TCP);
    }

    @Test
    void netSocketsEchoAndTheClientEndIsTracked() throws Exception {
        var server = await(vertx.createNetServer().connectHandler(s -> s.handler(s::write)).listen(0, "127.0.0.1"));
        NetSocket socket = await(vertx.createNetClient().connect(server.actualPort(), "127.0.0.1"));
        CompletableFuture<String> echoed = new CompletableFuture<>();
        socket.handler(b -> echoed.complete(b.toString()));
        socket.write("hello");
        assertThat(echoed.get(30, TimeUnit.SECONDS)).isEqualTo("hello");
        SmcConnectionInfo info = new SmcConnections4(transport.smc().tracker()).info(socket).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(info.mode()).isEqualTo(ConnectionMode.TCP);
        assertThat(info.side()).isEqualTo(SmcConnectionInfo.Side.CLIENT);
        assertThat(info.note()).startsWith("SMC unavailable: ");
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
