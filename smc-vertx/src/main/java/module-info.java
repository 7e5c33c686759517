/** The composition root: Vert.x over SMC (transport, verticles, the node and its admin endpoint). */
module io.smcvertx.vertx {
    requires io.smcvertx.transport;
    requires io.smcvertx.handlers;
    requires io.smcvertx.cluster;
    requires io.smcvertx.bpf;
    requires transitive io.vertx.core;
    requires io.vertx.web;
    requires io.vertx.clustermanager.hazelcast;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;
    requires io.netty.common;
    requires com.hazelcast.core;
    requires micrometer.core;
    requires micrometer.registry.prometheus;

    exports io.smcvertx.vertx;
}
