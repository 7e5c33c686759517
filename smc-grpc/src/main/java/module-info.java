/**
 * gRPC-Java over SMC: server and channel builders ({@code grpc-netty}, not the shaded artifact)
 * made with the SMC layer's channel factories and event-loop groups, and each call's connection
 * as the kernel saw it, readable on the server side.
 */
module io.smcvertx.grpc {
    requires transitive io.smcvertx.netty;
    requires transitive io.grpc;
    requires transitive io.grpc.netty;

    exports io.smcvertx.grpc;
}
