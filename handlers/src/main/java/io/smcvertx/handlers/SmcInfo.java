package io.smcvertx.handlers;

import java.util.Objects;

/**
 * What the kernel says about one SMC connection: the mode it got and, for a TCP fallback, why.
 *
 * <p>Filled by smc-vertx from {@code smc_diag}; the codes are the kernel's own
 * ({@code SMC_CLC_DECL_*}), kept as numbers so that a newer kernel's codes still pass through.
 *
 * @param mode the mode the connection ended up in
 * @param fallbackReasonCode the kernel's fallback reason ({@code 0} unless {@code mode} is
 *     {@link Mode#FALLBACK_TCP}), e.g. {@code 0x03010000} when the peer did not offer SMC
 * @param fallbackReasonName a readable name of the reason (empty when unknown or not a fallback)
 * @param peerDiagnosisCode the peer's diagnosis code from the CLC decline ({@code 0} when none)
 */
public record SmcInfo(Mode mode, int fallbackReasonCode, String fallbackReasonName, int peerDiagnosisCode) {

    /** The data path of a connection, as {@code smc_diag} reports it. */
    public enum Mode {
        /** Shared memory over ISM or loopback-ISM. */
        SMCD,
        /** Shared memory over RDMA (RoCE). */
        SMCR,
        /** The handshake did not agree on SMC: the connection stayed plain TCP. */
        FALLBACK_TCP
    }

    /** Validates the fields. */
    public SmcInfo {
        Objects.requireNonNull(mode, "`mode` must not be `null`");
        Objects.requireNonNull(fallbackReasonName, "`fallbackReasonName` must not be `null`");
        if (mode != Mode.FALLBACK_TCP && fallbackReasonCode != 0) {
            throw new IllegalArgumentException("`fallbackReasonCode` must be 0 when `mode` is " + mode);
        }
    }

    /** A connection on SMC-D. */
    public static SmcInfo smcd() {
        return new SmcInfo(Mode.SMCD, 0, "", 0);
    }

    /** A connection on SMC-R. */
    public static SmcInfo smcr() {
        return new SmcInfo(Mode.SMCR, 0, "", 0);
    }

    /** A connection that fell back to TCP for the given kernel reason. */
    public static SmcInfo fallback(int reasonCode, String reasonName, int peerDiagnosisCode) {
        return new SmcInfo(Mode.FALLBACK_TCP, reasonCode, reasonName, peerDiagnosisCode);
    }

    /** Whether the data moves over shared memory (SMC-D or SMC-R). */
    public boolean usesSharedMemory() {
        return mode != Mode.FALLBACK_TCP;
    }

    /** The fallback reason as the kernel prints it, e.g. {@code 0x03010000}. */
    public String fallbackReasonHex() {
        return String.format("0x%08x", fallbackReasonCode);
    }
}
