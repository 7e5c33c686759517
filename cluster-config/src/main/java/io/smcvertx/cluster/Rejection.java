package io.smcvertx.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * A member refused what it found in the store.
 *
 * @param host   the member that refused it
 * @param reason why
 * @param detail the message, naming the revision and key where known
 * @param at     when
 */
public record Rejection(String host, RevisionRejectedException.Reason reason, String detail, Instant at) {

    public Rejection {
        Objects.requireNonNull(host, "`host` must not be `null`");
        Objects.requireNonNull(reason, "`reason` must not be `null`");
        Objects.requireNonNull(detail, "`detail` must not be `null`");
        Objects.requireNonNull(at, "`at` must not be `null`");
    }

    @Override
    public String toString() {
        return reason + ": " + detail;
    }
}
