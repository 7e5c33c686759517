package io.smcvertx.transport;

/**
 * Which system call makes an SMC socket. Both give the same kernel SMC socket; they differ in
 * which kernels offer them and in how the socket presents itself to tools.
 */
public enum SmcSocketApi {
    /** {@link #AF_SMC} when the probe found it usable, else {@link #IPPROTO_SMC}. */
    AUTO,
    /**
     * {@code socket(AF_SMC, SOCK_STREAM, SMCPROTO_SMC | SMCPROTO_SMC6)}: every kernel with SMC
     * (Linux 4.11+). The protocol follows the address family the channel would have used.
     */
    AF_SMC,
    /**
     * {@code socket(AF_INET | AF_INET6, SOCK_STREAM, IPPROTO_SMC)}: Linux 6.11+. The socket keeps
     * its IP family, so family-based tooling (eBPF, netfilter owner matches) sees it as such.
     */
    IPPROTO_SMC
}
