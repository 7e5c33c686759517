/**
 * The Netty-level SMC layer: channel factories whose sockets are SMC sockets (native epoll, or
 * JDK NIO where Netty has no epoll), the policy, REQUIRED enforcement and the connection tracker,
 * for plain Netty, gRPC, Reactor Netty and the Vert.x adapter alike. No Vert.x, no Hazelcast.
 */
module io.smcvertx.netty {
    requires transitive io.smcvertx.transport;
    requires transitive io.netty.transport;
    requires transitive io.netty.transport.unix.common;
    requires io.netty.transport.classes.epoll;
    requires io.netty.common;
    requires io.netty.buffer;

    exports io.smcvertx.netty;
    exports io.smcvertx.netty.splice;
}
