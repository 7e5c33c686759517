package io.smcvertx.transport.system;

import java.util.Set;

/**
 * The port through which the fleet configuration makes unmodified processes create SMC
 * sockets: every TCP socket made by a process in a selected cgroup (or a descendant of one)
 * becomes {@code IPPROTO_SMC}. The kernel-backed implementation is a BPF program in module
 * {@code smc-bpf}; this interface lives here so the reconciler needs no BPF code (and nothing
 * of it where no host asks for it).
 *
 * <p>Blocking (system calls and a walk of the cgroup tree): never call it on an event loop.
 */
public interface TransparentSmc extends AutoCloseable {

    /**
     * Makes the selection exactly the cgroups these patterns match now. Called again on every
     * re-check, so cgroups created since (a new pod) are picked up and removed ones dropped.
     * An empty set selects nothing and detaches, loading nothing where nothing was loaded.
     * A refusal (kernel without the hook, no SMC, missing capability...) is part of the result,
     * never an exception, and leaves nothing attached.
     */
    TransparentSelection apply(Set<CgroupPattern> patterns);

    /** Detaches and releases everything; new sockets are plain TCP again. */
    @Override
    void close();
}
