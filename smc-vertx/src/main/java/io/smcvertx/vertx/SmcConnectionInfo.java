package io.smcvertx.vertx;

import java.util.Objects;

/**
 * What one TCP connection of an SMC-enabled Vert.x instance actually got, by the kernel's word.
 *
 * @param mode what the connection runs over
 * @param fallbackReason the kernel's CLC decline code (e.g. {@code 0x03010000}: the peer did not
 *        offer SMC), 0 unless {@code mode} is {@link Mode#FALLBACK_TCP}
 * @param fallbackReasonName a readable name of {@code fallbackReason}, empty when 0
 * @param peerDiagnosis the decline code the peer sent, 0 when none
 * @param peerDiagnosisName a readable name of {@code peerDiagnosis}, empty when 0
 * @param note why the mode is what it is when the kernel was not asked (SMC unavailable, policy),
 *        or why it could not be asked; empty otherwise
 * @param local the connection's local address, {@code host:port}
 * @param remote the connection's remote address, {@code host:port}
 * @param side whether this end accepted or initiated the connection
 */
public record SmcConnectionInfo(Mode mode, int fallbackReason, String fallbackReasonName, int peerDiagnosis,
        String peerDiagnosisName, String note, String local, String remote, Side side) {

    /** What a connection runs over. */
    public enum Mode {
        /** SMC-D: ISM or loopback-ISM shared memory. */
        SMCD,
        /** SMC-R: RDMA over RoCE. */
        SMCR,
        /** An SMC socket that the kernel left on TCP, with a reason. */
        FALLBACK_TCP,
        /** A plain TCP socket: SMC was unavailable or disabled for it. */
        TCP,
        /** The kernel's answer is not known (lookup pending or failed; see {@code note}). */
        UNKNOWN
    }

    /** Which end of the connection this process is. */
    public enum Side { SERVER, CLIENT }

    public SmcConnectionInfo {
        Objects.requireNonNull(mode, "`mode` must not be `null`");
        Objects.requireNonNull(fallbackReasonName, "`fallbackReasonName` must not be `null`");
        Objects.requireNonNull(peerDiagnosisName, "`peerDiagnosisName` must not be `null`");
        Objects.requireNonNull(note, "`note` must not be `null`");
        Objects.requireNonNull(local, "`local` must not be `null`");
        Objects.requireNonNull(remote, "`remote` must not be `null`");
        Objects.requireNonNull(side, "`side` must not be `null`");
    }

    /** Whether the data moves over shared memory (SMC-D or SMC-R). */
    public boolean usesSmc() {
        return mode == Mode.SMCD || mode == Mode.SMCR;
    }

    /** The fallback reason as the kernel documents it, e.g. {@code 0x03010000}. */
    public String fallbackReasonHex() {
        return hex(fallbackReason);
    }

    /** The peer's diagnosis as the kernel documents it. */
    public String peerDiagnosisHex() {
        return hex(peerDiagnosis);
    }

    static String hex(int code) {
        return String.format("0x%08x", code);
    }

    /** The one line the debug log gets for this connection. */
    public String logLine() {
        StringBuilder b = new StringBuilder()
                .append(side == Side.SERVER ? "accepted " : "connected ")
                .append(local).append(side == Side.SERVER ? " <- " : " -> ").append(remote)
                .append(": ").append(mode);
        if (mode == Mode.FALLBACK_TCP) {
            b.append(" reason ").append(fallbackReasonHex());
            if (!fallbackReasonName.isEmpty()) {
                b.append(" (").append(fallbackReasonName).append(')');
            }
        }
        if (peerDiagnosis != 0) {
            b.append(" peer ").append(peerDiagnosisHex());
            if (!peerDiagnosisName.isEmpty()) {
                b.append(" (").append(peerDiagnosisName).append(')');
            }
        }
        if (!note.isEmpty()) {
            b.append(" [").append(note).append(']');
        }
        return b.toString();
    }
}
