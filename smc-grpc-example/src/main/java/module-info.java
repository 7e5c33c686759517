/**
 * A gRPC echo server and client over SMC, runnable from a main class with host, port and mode
 * arguments (for people and for benchmarks), with the SMC metrics bound to a Micrometer registry.
 */
module io.smcvertx.grpc.example {
    requires io.smcvertx.grpc;
    requires io.smcvertx.micrometer;
    requires io.grpc.stub;
    requires io.netty.common;

    exports io.smcvertx.grpc.example;
}
