/**
 * Micrometer metrics for SMC, for any stack: a {@code MeterBinder} over an SMC layer's connection
 * counters and the kernel's SMC statistics. Netty-free; micrometer-core only.
 */
module io.smcvertx.micrometer {
    requires transitive io.smcvertx.transport;
    requires transitive micrometer.core;

    exports io.smcvertx.micrometer;
}
