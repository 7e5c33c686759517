package io.smcvertx.transport.rdma;

import java.util.Objects;

/**
 * Whether libibverbs could be asked, and why not. libibverbs is optional: without it, sysfs
 * still gives state, link layer, netdev and GID types; only the active MTU is missing.
 *
 * @param state    what happened
 * @param evidence how it was found, e.g. the library error or the device count
 */
public record VerbsStatus(State state, String evidence) {

    /** The outcome of loading and asking libibverbs. */
    public enum State {
        /** The library answered for every device it lists. */
        AVAILABLE,
        /** {@code libibverbs.so.1} is not installed (Debian: libibverbs1). */
        LIBRARY_MISSING,
        /** The library loaded but lists none of the kernel's devices: no provider (Debian: ibverbs-providers). */
        NO_PROVIDER,
        /** A device could not be opened or queried (permissions on /dev/infiniband, a missing uverbs module). */
        FAILED,
        /** There is no RDMA device, so nothing was asked. */
        NOT_NEEDED
    }

    public VerbsStatus {
        Objects.requireNonNull(state, "`state` must not be `null`");
        Objects.requireNonNull(evidence, "`evidence` must not be `null`");
    }
}
