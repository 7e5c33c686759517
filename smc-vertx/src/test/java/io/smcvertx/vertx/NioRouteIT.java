package io.smcvertx.vertx;

import static io.smcvertx.vertx.lab.Lab.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.smcvertx.netty.SmcChannels;
import io.smcvertx.netty.SmcNetty;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.transport.diag.SmcDiag;
import io.smcvertx.transport.diag.SmcSocketInfo;
import io.smcvertx.vertx.lab.Lab;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Vert.x HTTP on the NIO route (SmcTransport over Vert.x's NIO transport, as on s390x where
 * Netty has no native epoll), forced on amd64, against the lab kernel: server and client ends
 * are SMC-D by smc_diag, read here with a reader of our own as well as through the tracker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class NioRouteIT {

    private Vertx vertx;
    private SmcDiag diag;

    @BeforeAll
    void start() {
        Lab.requireSmc();
        SmcTransport transport = SmcTransport.create(SmcNetty.create(SmcPolicy.DEFAULT, SmcChannels.Transport.NIO));
        System.out.println("NioRouteIT: " + transport.nettyTransportReason() + "; SMC sockets " + transport.smcAvailable()
                + transport.smcUnavailabilityCause().map(c -> " (" + c + ")").orElse(""));
        vertx = Vertx.builder().withTransport(transport).build();
        diag = SmcDiag.open(SmcDiag.DEFAULT_CACHE_TTL, Duration.ofMinutes(3));
    }

    @AfterAll
    void stop() throws Exception {
        if (vertx != null) {
            join(vertx.close());
        }
        if (diag != null) {
            diag.close();
        }
    }

    private SmcSocketInfo kernel(SmcConnections smc, SocketAddress local, SocketAddress remote) throws Exception {
        Channel ch = smc.tracker().find(new InetSocketAddress(local.hostAddress(), local.port()),
                new InetSocketAddress(remote.hostAddress(), remote.port())).orElseThrow();
        assertThat(ch).as("a JDK NIO channel").isInstanceOf(io.netty.channel.socket.nio.NioSocketChannel.class);
        return diag.lookup(SmcChannels.inode(ch)).toCompletableFuture().get(3, TimeUnit.MINUTES).orElseThrow();
    }

    @Test
    void httpServerAndClientOnTheNioRouteAreSmcdAtBothEnds() throws Exception {
        SmcConnections smc = SmcConnections.of(vertx);
        assertThat(smc.smcAvailable()).as(String.valueOf(smc.smcUnavailabilityCause())).isTrue();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> smc.info(req.connection())
                .onComplete(ar -> req.response().end(ar.succeeded() ? ar.result().logLine() : "failed: " + ar.cause())));
        join(server.listen(0, "127.0.0.1"));
        HttpClient http = vertx.createHttpClient();
        try {
            HttpConnection[] connection = new HttpConnection[1];
            String serverView = join(http.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
                    .compose(req -> req.send().compose(HttpClientResponse::body).map(b -> {
                        connection[0] = req.connection();
                        return b.toString();
                    })));
            SmcConnectionInfo client = join(smc.info(connection[0]));
            System.out.println("NioRouteIT: server " + serverView + " | client " + client.logLine());
            assertThat(serverView).startsWith("accepted ").contains(": SMCD");
            assertThat(client.mode()).as(client.logLine()).isEqualTo(ConnectionMode.SMCD);

            SmcSocketInfo clientEnd = kernel(smc, connection[0].localAddress(), connection[0].remoteAddress());
            SmcSocketInfo serverEnd = kernel(smc, connection[0].remoteAddress(), connection[0].localAddress());
            System.out.println("NioRouteIT: smc_diag client " + clientEnd.mode() + " " + clientEnd.local() + " | server "
                    + serverEnd.mode() + " " + serverEnd.local());
            assertThat(clientEnd.mode()).isEqualTo(ConnectionMode.SMCD);
            assertThat(serverEnd.mode()).isEqualTo(ConnectionMode.SMCD);
            assertThat(smc.listeners()).containsEntry("127.0.0.1:" + server.actualPort(), "SMC");
        } finally {
            join(http.close());
            join(server.close());
        }
    }
}
