package io.smcvertx.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.netty.SmcChannels;
import io.smcvertx.netty.SmcNetty;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport on Vert.x's NIO transport, the route every platform without Netty native epoll
 * (s390x) takes, forced here on amd64: TCP and HTTP work and are tracked, and the transport says
 * which Netty transport it runs on. The lab's {@code NioRouteIT} shows SMC-D on this route.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SmcTransportNioTest {

    private Vertx vertx;

    @AfterEach
    void stop() throws Exception {
        if (vertx != null) {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDefaultIsEpollHereAndSaysWhy() {
        SmcTransport transport = SmcTransport.create();
        assertThat(transport.smc().transport()).isEqualTo(SmcChannels.Transport.EPOLL);
        assertThat(transport.nettyTransportReason()).isEqualTo("epoll: Netty native epoll is available");
    }

    @Test
    void netAndHttpRunOverTheNioRouteAndAreTracked() throws Exception {
        SmcTransport transport = SmcTransport.create(SmcNetty.create(SmcPolicy.DEFAULT, SmcChannels.Transport.NIO));
        assertThat(transport.available()).isTrue();
        assertThat(transport.nettyTransportReason()).isEqualTo("NIO: chosen by the caller");
        vertx = Vertx.builder().withTransport(transport).build();
        SmcConnections smc = SmcConnections.of(vertx);
        ConnectionMode expected = smc.smcAvailable() ? ConnectionMode.SMCD : ConnectionMode.TCP;

        NetServer net = vertx.createNetServer().connectHandler(s -> s.handler(s::write));
        net.listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
        // closed below, so reachable until then: Vert.x 5 closes an unreachable NetClient and its connections on GC
        var netClient = vertx.createNetClient();
        NetSocket socket = netClient.connect(net.actualPort(), "127.0.0.1").await(30, TimeUnit.SECONDS);
        Buffer got = Buffer.buffer();
        io.vertx.core.Promise<Buffer> echoed = io.vertx.core.Promise.promise();
        socket.handler(b -> {
            got.appendBuffer(b);
            if (got.length() == 4) {
                echoed.complete(got);
            }
        });
        assertThat(((io.vertx.core.internal.net.NetSocketInternal) socket).channelHandlerContext().channel())
                .as("a JDK NIO channel under the socket").isInstanceOf(io.netty.channel.socket.nio.NioSocketChannel.class);
        socket.write("ping");
        assertThat(echoed.future().await(30, TimeUnit.SECONDS).toString()).isEqualTo("ping");
        SmcConnectionInfo client = smc.info(socket).await(30, TimeUnit.SECONDS);
        netClient.close().await(30, TimeUnit.SECONDS);
        assertThat(client.mode()).as(client.logLine()).isEqualTo(expected);
        assertThat(client.side()).isEqualTo(SmcConnectionInfo.Side.CLIENT);

        HttpServer http = vertx.createHttpServer().requestHandler(req -> smc.info(req.connection())
                .onComplete(ar -> req.response().end(ar.succeeded() ? ar.result().mode() + " " + ar.result().side() : "failed: " + ar.cause())));
        http.listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
        HttpClient httpClient = vertx.createHttpClient();
        HttpConnection[] connection = new HttpConnection[1];
        String body = httpClient.request(HttpMethod.GET, http.actualPort(), "127.0.0.1", "/")
                .compose(req -> req.send().compose(HttpClientResponse::body).map(b -> {
                    connection[0] = req.connection();
                    return b.toString();
                })).await(30, TimeUnit.SECONDS);
        assertThat(body).isEqualTo(expected + " SERVER");
        assertThat(smc.info(connection[0]).await(30, TimeUnit.SECONDS).mode()).isEqualTo(expected);
        assertThat(smc.listeners()).containsKeys("127.0.0.1:" + net.actualPort(), "127.0.0.1:" + http.actualPort());
    }
}
