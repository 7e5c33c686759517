package io.smcvertx.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.netty.SmcNetty;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The README's Spring WebFlux wiring, compiled and run in a real Spring context: a
 * {@code ReactorResourceFactory} bean on SMC loops. Spring Boot's Netty server factory and its
 * WebClient connector take their loops from that bean; here the server is made the way Boot's
 * {@code NettyReactiveWebServerFactory} makes it ({@code runOn(factory.getLoopResources())}) and
 * the client is Spring's own {@code ReactorClientHttpConnector}, the one under WebClient.
 */
class SpringWebFluxWiringTest {

    // <readme-spring>
    @Configuration(proxyBeanMethods = false)
    static class SmcWebFluxConfig {

        @Bean(destroyMethod = "dispose")
        SmcLoopResources smcLoops() {
            return SmcLoopResources.create(SmcNetty.create(SmcPolicy.DEFAULT));
        }

        @Bean
        ReactorResourceFactory reactorResourceFactory(SmcLoopResources smcLoops) {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);   // Reactor Netty's global loops make no SMC sockets
            factory.setLoopResources(smcLoops);     // the WebFlux server and WebClient run on these
            return factory;
        }
    }
    // </readme-spring>

    @Test
    void aSpringReactorResourceFactoryOnSmcLoopsCarriesServerAndWebClientConnections() {
        Duration wait = Duration.ofMinutes(1);
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(SmcWebFluxConfig.class)) {
            ReactorResourceFactory factory = context.getBean(ReactorResourceFactory.class);
            SmcLoopResources smcLoops = context.getBean(SmcLoopResources.class);
            assertThat(factory.getLoopResources()).isSameAs(smcLoops);
            DisposableServer server = HttpServer.create().runOn(factory.getLoopResources()).host("127.0.0.1").port(0)
                    .handle((req, res) -> res.sendString(smcLoops.info(req).map(SmcConnectionInfo::logLine)))
                    .bindNow(wait);
            try {
                ReactorClientHttpConnector connector = new ReactorClientHttpConnector(factory, client -> client);
                String answer = connector.connect(HttpMethod.GET, URI.create("http://127.0.0.1:" + server.port() + "/"), req -> req.setComplete())
                        .flatMap(res -> DataBufferUtils.join(res.getBody()).map(b -> b.toString(java.nio.charset.StandardCharsets.UTF_8)))
                        .block(wait);
                System.out.println("Spring WebFlux wiring: " + answer);
                assertThat(answer).startsWith("accepted 127.0.0.1:" + server.port() + " <- 127.0.0.1:")
                        .contains(smcLoops.smc().smcSockets() ? ": SMCD" : ": TCP [SMC unavailable: ");
                ConnectionMode expected = smcLoops.smc().smcSockets() ? ConnectionMode.SMCD : ConnectionMode.TCP;
                // the WebClient connector's connection and the server's end, both made by the layer
                assertThat(smcLoops.smc().tracker().classifiedByMode()).containsEntry(expected, 2L);
            } finally {
                server.disposeNow(wait);
            }
        }
        // the context's close disposed the loops (destroyMethod), as an application's shutdown would
    }

    @Test
    void closingTheContextDisposesTheSmcLoops() {
        SmcLoopResources loops;
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(SmcWebFluxConfig.class)) {
            loops = context.getBean(SmcLoopResources.class);
            assertThat(loops.isDisposed()).isFalse();
        }
        assertThat(Mono.fromSupplier(loops::isDisposed).block()).isTrue();
    }
}
