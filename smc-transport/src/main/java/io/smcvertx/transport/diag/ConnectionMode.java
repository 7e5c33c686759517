package io.smcvertx.transport.diag;

/** What an SMC socket ended up using, as smc_diag's {@code diag_mode} reports it. */
public enum ConnectionMode {
    /** SMC-R: RDMA over RoCE ({@code SMC_DIAG_MODE_SMCR}, 0). */
    SMCR(0),
    /** The connection stayed TCP; see the fallback reason ({@code SMC_DIAG_MODE_FALLBACK_TCP}, 1). */
    FALLBACK_TCP(1),
    /** SMC-D: ISM or loopback-ISM ({@code SMC_DIAG_MODE_SMCD}, 2). */
    SMCD(2);

    private final int code;

    ConnectionMode(int code) {
        this.code = code;
    }

    /** The kernel's number for this mode. */
    public int code() {
        return code;
    }

    /** The mode for a kernel number; unknown numbers fail, so a new kernel mode is noticed. */
    public static ConnectionMode of(int code) {
        for (ConnectionMode m : values()) {
            if (m.code == code) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown smc_diag mode " + code);
    }

    /** True for SMC-D and SMC-R. */
    public boolean isSmc() {
        return this != FALLBACK_TCP;
    }
}
