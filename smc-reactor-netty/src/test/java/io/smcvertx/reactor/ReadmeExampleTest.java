package io.smcvertx.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smcvertx.micrometer.SmcMeterBinder;
import io.smcvertx.netty.SmcNetty;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * The README's Reactor Netty example, compiled and run: on this host the layer serves plain TCP
 * and every request says why; {@code ReactorNettyOverSmcIT} shows the same code SMCD in the lab.
 */
class ReadmeExampleTest {

    @Test
    void httpServerAndClientOnSmcLoopsAndEachRequestKnowsItsConnection() {
        MeterRegistry registry = new SimpleMeterRegistry();
        // <readme>
        SmcLoopResources smcLoops = SmcLoopResources.create(SmcNetty.create(SmcPolicy.DEFAULT));
        new SmcMeterBinder(smcLoops.smc().tracker()).bindTo(registry);   // metrics, as for Vert.x and gRPC

        DisposableServer server = HttpServer.create().runOn(smcLoops).host("127.0.0.1").port(0)
                .handle((request, response) -> response.sendString(
                        smcLoops.info(request).map(SmcConnectionInfo::logLine)))   // the kernel's word on this connection
                .bindNow();
        String answer = HttpClient.create().runOn(smcLoops)
                .get().uri("http://127.0.0.1:" + server.port() + "/")
                .responseContent().aggregate().asString()
                .block(Duration.ofMinutes(1));
        // </readme>
        try {
            System.out.println("README example: " + smcLoops + ": the server says: " + answer);
            assertThat(answer).startsWith("accepted 127.0.0.1:" + server.port() + " <- 127.0.0.1:");
            if (smcLoops.smc().smcSockets()) {
                assertThat(answer).endsWith(": SMCD");
            } else {
                assertThat(answer).contains(": TCP [SMC unavailable: ");
            }
            // client and server end, both made by the layer and counted
            assertThat(registry.get("smcvertx.connections.classified").tag("mode", smcLoops.smc().smcSockets() ? "SMCD" : "TCP")
                    .gauge().value()).isEqualTo(2.0);
        } finally {
            server.disposeNow(Duration.ofMinutes(1));
            smcLoops.disposeLater().block(Duration.ofMinutes(1));
        }
    }
}
