package io.smcvertx.transport.diag;

import java.util.Objects;

/**
 * What one TCP connection actually got, by the kernel's word: the record every layer (Netty,
 * Vert.x, handlers, gRPC, Reactor, Quarkus) hands to applications.
 *
 * @param mode what the connection runs over
 * @param fallbackReason the kernel's CLC decline code (e.g. {@code 0x03010000}: the peer did not
 *        offer SMC), 0 unless {@code mode} is {@link ConnectionMode#FALLBACK_TCP}
 * @param fallbackReasonName a readable name of {@code fallbackReason}, empty when 0
 * @param peerDiagnosis the decline code the peer sent, 0 when none
 * @param peerDiagnosisName a readable name of {@code peerDiagnosis}, empty when 0
 * @param note why the mode is what it is when the kernel was not asked (SMC unavailable, policy),
 *        or why it could not be asked; empty otherwise
 * @param local the connection's local address, {@code host:port}
 * @param remote the connection's remote address, {@code host:port}
 * @param side whether this end accepted or initiated the connection
 */
public record SmcConnectionInfo(ConnectionMode mode, int fallbackReason, String fallbackReasonName, int peerDiagnosis,
        String peerDiagnosisName, String note, String local, String remote, Side side) {

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
        if (mode != ConnectionMode.FALLBACK_TCP && fallbackReason != 0) {
            throw new IllegalArgumentException("`fallbackReason` must be 0 when `mode` is " + mode);
        }
    }

    /**
     * A connection as smc_diag described its socket.
     *
     * @param note what the caller adds (e.g. "policy: plain TCP"), empty for none
     */
    public static SmcConnectionInfo of(SmcSocketInfo kernel, String note, String local, String remote, Side side) {
        FallbackReason reason = kernel.mode() == ConnectionMode.FALLBACK_TCP ? kernel.fallbackReason() : FallbackReason.NONE;
        FallbackReason peer = kernel.peerDiagnosis();
        return new SmcConnectionInfo(kernel.mode(), reason.code(), reason.isNone() ? "" : reason.name(),
                peer.code(), peer.isNone() ? "" : peer.name(), note, local, remote, side);
    }

    /** A connection whose mode is known without the kernel's diagnosis ({@link ConnectionMode#TCP} or {@link ConnectionMode#UNKNOWN}). */
    public static SmcConnectionInfo of(ConnectionMode mode, String note, String local, String remote, Side side) {
        return new SmcConnectionInfo(mode, 0, "", 0, "", note, local, remote, side);
    }

    /** Whether the data moves over shared memory (SMC-D or SMC-R). */
    public boolean usesSmc() {
        return mode.isSmc();
    }

    /** The fallback reason as the kernel documents it, e.g. {@code 0x03010000}. */
    public String fallbackReasonHex() {
        return hex(fallbackReason);
    }

    /** The peer's diagnosis as the kernel documents it. */
    public String peerDiagnosisHex() {
        return hex(peerDiagnosis);
    }

    /** A decline code as the kernel documents it, e.g. {@code 0x03010000}. */
    public static String hex(int code) {
        return String.format("0x%08x", code);
    }

    /** The one line a debug log gets for this connection. */
    public String logLine() {
        StringBuilder b = new StringBuilder()
                .append(side == Side.SERVER ? "accepted " : "connected ")
                .append(local).append(side == Side.SERVER ? " <- " : " -> ").append(remote)
                .append(": ").append(mode);
        if (mode == ConnectionMode.FALLBACK_TCP) {
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
