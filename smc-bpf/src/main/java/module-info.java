/**
 * Transparent SMC for any process: a hand-assembled BPF {@code fmod_ret} program on the kernel's
 * {@code update_socket_protocol} turns TCP sockets of selected cgroups into {@code IPPROTO_SMC}
 * ones. Loaded through {@code bpf(2)} by FFM: no clang, no libbpf, no JNI. No Netty, Vert.x or
 * Hazelcast.
 */
module io.smcvertx.bpf {
    requires transitive io.smcvertx.transport;
    exports io.smcvertx.bpf;
}
