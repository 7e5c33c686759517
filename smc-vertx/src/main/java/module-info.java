/** Vert.x over SMC: the transport adapter over smc-netty, the connection view and the listener verticles. */
// the qualified export's target (the node) is built after this module in the reactor: javac cannot see it yet
@SuppressWarnings("module")
module io.smcvertx.vertx {
    requires transitive io.smcvertx.netty;
    requires transitive io.smcvertx.handlers;
    requires transitive io.vertx.core;
    requires io.vertx.web;
    requires io.netty.transport;
    requires io.netty.common;

    exports io.smcvertx.vertx;
    // handler binding and JSON field checks the node builds its config and verticles with: not public API
    exports io.smcvertx.vertx.internal to io.smcvertx.vertx.node;
}
