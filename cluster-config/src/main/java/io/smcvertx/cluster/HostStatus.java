package io.smcvertx.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one host's reconciler last saw and did, as published to the status map.
 *
 * @param host              host name
 * @param appliedRevision   the revision the kernel holds on this host (0: none yet)
 * @param desiredRevision   the newest verified revision this host knows (0: none)
 * @param kernelSmc         whether the kernel's SMC configuration could be read
 * @param kernelSmcCause    why not, when it could not
 * @param readOnly          why this host only reports ({@code "read-only: missing CAP_NET_ADMIN"}), if so
 * @param seid              the hardware-derived SEID, where the kernel reports one (IBM Z); never invented
 * @param seidEnabled       whether the kernel uses it
 * @param drift             differences between the applied revision and the kernel, e.g. made by hand
 * @param lastError         the last failure to apply, if the newest revision is not applied
 * @param rejected          the last revision this member refused (unsigned, tampered...), if any
 * @param notes             other things worth knowing (a setting that does not apply to this host)
 * @param updatedAt         when this was published
 * @param transparent       what this host did with the revision's {@code transparent} section, if it has one for it
 */
public record HostStatus(String host, long appliedRevision, long desiredRevision, boolean kernelSmc,
        Optional<String> kernelSmcCause, Optional<String> readOnly, Optional<String> seid, boolean seidEnabled,
        List<String> drift, Optional<String> lastError, Optional<String> rejected, List<String> notes,
        Instant updatedAt, Optional<TransparentStatus> transparent) {

    /** Coarse state for tables and scripts. */
    public enum State {
        /** The desired revision is in the kernel and nothing drifted. */
        APPLIED,
        /** Applied, but the kernel differs from it (changed by hand). */
        DRIFT,
        /** The desired revision is not applied yet. */
        PENDING,
        /** Applying failed; see {@link #lastError()}, or transparent SMC was refused ({@link #transparent()}). */
        ERROR,
        /** This host cannot write (no CAP_NET_ADMIN): it reports only. */
        READ_ONLY,
        /** The kernel has no SMC (or its configuration cannot be read). */
        NO_SMC
    }

    public HostStatus {
        Objects.requireNonNull(host, "`host` must not be `null`");
        kernelSmcCause = Objects.requireNonNull(kernelSmcCause, "`kernelSmcCause` must not be `null`");
        readOnly = Objects.requireNonNull(readOnly, "`readOnly` must not be `null`");
        seid = Objects.requireNonNull(seid, "`seid` must not be `null`");
        drift = List.copyOf(drift);
        lastError = Objects.requireNonNull(lastError, "`lastError` must not be `null`");
        rejected = Objects.requireNonNull(rejected, "`rejected` must not be `null`");
        notes = List.copyOf(notes);
        Objects.requireNonNull(updatedAt, "`updatedAt` must not be `null`");
        transparent = Objects.requireNonNull(transparent, "`transparent` must not be `null`");
    }

    /** A status without transparent SMC. */
    public HostStatus(String host, long appliedRevision, long desiredRevision, boolean kernelSmc,
            Optional<String> kernelSmcCause, Optional<String> readOnly, Optional<String> seid, boolean seidEnabled,
            List<String> drift, Optional<String> lastError, Optional<String> rejected, List<String> notes,
            Instant updatedAt) {
        this(host, appliedRevision, desiredRevision, kernelSmc, kernelSmcCause, readOnly, seid, seidEnabled, drift,
                lastError, rejected, notes, updatedAt, Optional.empty());
    }

    public State state() {
        if (!kernelSmc) {
            return State.NO_SMC;
        }
        if (readOnly.isPresent()) {
            return State.READ_ONLY;
        }
        if (lastError.isPresent() || transparent.flatMap(TransparentStatus::refusal).isPresent()) {
            return State.ERROR;
        }
        if (appliedRevision != desiredRevision) {
            return State.PENDING;
        }
        return drift.isEmpty() ? State.APPLIED : State.DRIFT;
    }

    /** True when this host holds {@code revision} and nothing drifted. */
    public boolean hasApplied(long revision) {
        return state() == State.APPLIED && appliedRevision == revision;
    }
}
