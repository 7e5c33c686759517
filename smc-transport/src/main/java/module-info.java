/**
 * The native boundary of smc-vertx, Netty-free: SMC sockets over FFM, netlink clients, smc_diag,
 * the kernel configuration model and the availability probe.
 */
// the qualified export's target is built after this module in the reactor: javac cannot see it yet
@SuppressWarnings("module")
module io.smcvertx.transport {
    exports io.smcvertx.transport;
    exports io.smcvertx.transport.system;
    exports io.smcvertx.transport.diag;
    // the Netty layer puts SMC sockets under Netty's descriptors (dup3, getsockopt): not public API
    exports io.smcvertx.transport.internal.ffm to io.smcvertx.netty;
}
