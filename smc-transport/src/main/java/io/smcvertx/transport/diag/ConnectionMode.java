package io.smcvertx.transport.diag;

/**
 * What one TCP connection runs over: the project's one word for it, from smc_diag's
 * {@code diag_mode} for SMC sockets and from the socket itself otherwise. Every layer (Netty,
 * Vert.x, handlers, metrics) reports this type.
 */
public enum ConnectionMode {
    /** SMC-D: ISM or loopback-ISM shared memory ({@code SMC_DIAG_MODE_SMCD}, 2). */
    SMCD(2),
    /** SMC-R: RDMA over RoCE ({@code SMC_DIAG_MODE_SMCR}, 0). */
    SMCR(0),
    /** An SMC socket that the kernel left on TCP, with a reason ({@code SMC_DIAG_MODE_FALLBACK_TCP}, 1). */
    FALLBACK_TCP(1),
    /** A plain TCP socket: SMC was unavailable, disabled or ruled out for it (no kernel number). */
    TCP(-1),
    /** Not known (the kernel's answer is pending or could not be had; no kernel number). */
    UNKNOWN(-1);

    private final int code;

    ConnectionMode(int code) {
        this.code = code;
    }

    /** The kernel's number for this mode; -1 for {@link #TCP} and {@link #UNKNOWN}, which smc_diag never reports. */
    public int code() {
        return code;
    }

    /** The mode for a kernel number (0, 1, 2); unknown numbers fail, so a new kernel mode is noticed. */
    public static ConnectionMode of(int code) {
        for (ConnectionMode m : values()) {
            if (m.code >= 0 && m.code == code) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown smc_diag mode " + code);
    }

    /** True for SMC-D and SMC-R: the data moves over shared memory. */
    public boolean isSmc() {
        return this == SMCD || this == SMCR;
    }
}
