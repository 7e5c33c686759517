/**
 * The fleet's SMC configuration: a validated model, a signed Hazelcast store, and a per-host
 * reconciler that applies it through {@link io.smcvertx.transport.system.SmcSystem}.
 * No Vert.x, no Mutiny: the API speaks CompletionStage and Flow.Publisher.
 */
module io.smcvertx.cluster {
    requires transitive io.smcvertx.transport;
    requires transitive com.hazelcast.core;
    requires com.fasterxml.jackson.databind;
    exports io.smcvertx.cluster;
    exports io.smcvertx.cluster.hazelcast;
}
