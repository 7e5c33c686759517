module io.smcvertx.vertx {
    requires io.smcvertx.transport;
    requires io.smcvertx.handlers;
    requires io.smcvertx.cluster;
    requires io.vertx.core;
    requires io.vertx.web;
    requires io.vertx.clustermanager.hazelcast;
}
