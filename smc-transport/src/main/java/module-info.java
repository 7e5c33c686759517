/**
 * The native boundary of smc-vertx, Netty-free: SMC sockets over FFM, netlink clients, smc_diag,
 * the kernel configuration model, RDMA readiness, the doctor and the availability probe.
 */
// the qualified exports' targets are built after this module in the reactor: javac cannot see them yet
@SuppressWarnings("module")
module io.smcvertx.transport {
    exports io.smcvertx.transport;
    exports io.smcvertx.transport.system;
    exports io.smcvertx.transport.diag;
    exports io.smcvertx.transport.rdma;
    exports io.smcvertx.transport.doctor;
    // the same libc surface, not public API: the Netty layer puts SMC sockets under Netty's
    // descriptors (dup3, getsockopt); smc-bpf's IPPROTO_SMC probe and errno names
    exports io.smcvertx.transport.internal.ffm to io.smcvertx.netty, io.smcvertx.bpf;
}
