/** Vert.x 4.5 over SMC: Vert.x 4.5's transport SPI with its TCP channels from the Netty 4.1 build of smc-netty. */
module io.smcvertx.vertx4 {
    requires transitive io.smcvertx.netty;
    requires transitive io.vertx.core;
    requires io.netty.transport;
    requires io.netty.common;

    exports io.smcvertx.vertx4;
}
