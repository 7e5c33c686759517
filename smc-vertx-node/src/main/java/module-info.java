/** The smc-vertx node: Vert.x on the SMC transport, its listeners, admin endpoint and metrics, Hazelcast member and fleet config. */
module io.smcvertx.vertx.node {
    requires io.smcvertx.vertx;
    requires io.smcvertx.micrometer;
    requires io.smcvertx.cluster;
    requires io.smcvertx.bpf;
    requires io.vertx.web;
    requires io.vertx.clustermanager.hazelcast;
    requires io.netty.transport;
    requires io.netty.common;
    requires com.hazelcast.core;
    requires micrometer.core;
    requires micrometer.registry.prometheus;

    exports io.smcvertx.vertx.node;
}
