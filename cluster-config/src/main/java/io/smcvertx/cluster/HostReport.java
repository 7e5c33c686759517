package io.smcvertx.cluster;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the status map as a reader sees it: what it says, and whether the host it names
 * wrote it. Hazelcast Community Edition lets anyone on the cluster port write the map, so a
 * status counts only when {@link #verified()}; everything else is shown, marked, never trusted.
 *
 * @param host   the host the entry is filed under (the map key)
 * @param status what the entry says, when it could be read at all
 * @param trust  whether it was signed by that host's enrolled key
 * @param detail the enrollment when verified, otherwise what is wrong, for people
 */
public record HostReport(String host, Optional<HostStatus> status, Trust trust, String detail) {

    /** Whether a status was written by the host it names. */
    public enum Trust {
        /** Signed by the host key a trusted operator key enrolled for this host. */
        VERIFIED,
        /** No signature: a host without a host key, or anyone writing to the map. */
        UNSIGNED,
        /** Signed, but the enrollment is by an operator key this reader does not trust. */
        UNTRUSTED_KEY,
        /** A signature that does not match, or an enrollment or status for another host: forged. */
        FORGED,
        /** Not a status at all. */
        UNREADABLE
    }

    public HostReport {
        Objects.requireNonNull(host, "`host` must not be `null`");
        Objects.requireNonNull(status, "`status` must not be `null`");
        Objects.requireNonNull(trust, "`trust` must not be `null`");
        Objects.requireNonNull(detail, "`detail` must not be `null`");
        if (trust == Trust.VERIFIED && status.isEmpty()) {
            throw new IllegalArgumentException("`status` must be present when `trust` is VERIFIED");
        }
    }

    public boolean verified() {
        return trust == Trust.VERIFIED;
    }

    /** True when the host itself says it holds {@code revision} with nothing drifted. */
    public boolean hasApplied(long revision) {
        return verified() && status.orElseThrow().hasApplied(revision);
    }

    /** "verified" or "UNVERIFIED (why)", for tables. */
    public String trustLabel() {
        return verified() ? "verified" : "UNVERIFIED (" + trust.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")";
    }
}
