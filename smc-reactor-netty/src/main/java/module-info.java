/**
 * Reactor Netty over SMC: a {@code LoopResources} whose TCP channels come from the SMC layer, so
 * {@code HttpServer}, {@code HttpClient}, {@code TcpServer}, {@code TcpClient} and Spring WebFlux
 * (through {@code ReactorResourceFactory.setLoopResources}) speak SMC.
 */
module io.smcvertx.reactor.netty {
    requires transitive io.smcvertx.netty;
    requires transitive reactor.netty.core;
    requires transitive reactor.core;
    requires io.netty.common;

    exports io.smcvertx.reactor;
}
