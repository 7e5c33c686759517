module io.smcvertx.transport {
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;
    requires io.netty.common;
    requires io.netty.buffer;
    exports io.smcvertx.transport;
    exports io.smcvertx.transport.netty;
    exports io.smcvertx.transport.system;
    exports io.smcvertx.transport.diag;
    exports io.smcvertx.transport.rdma;
    exports io.smcvertx.transport.doctor;
    // smc-bpf's IPPROTO_SMC probe and errno names: the same libc surface, not public API
    exports io.smcvertx.transport.internal.ffm to io.smcvertx.bpf;
}
