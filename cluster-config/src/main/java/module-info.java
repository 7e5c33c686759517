module io.smcvertx.cluster {
    requires transitive io.smcvertx.transport;
    requires com.hazelcast.core;
}
