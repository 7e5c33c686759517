package io.smcvertx.cluster;

import java.util.Objects;

/** A stored revision was refused by this member and is not applied. */
public class RevisionRejectedException extends Exception {

    /** Why; the first four mean someone wrote to the map without the operator key. */
    public enum Reason {
        /** Not an envelope at all. */
        MALFORMED,
        /** No signature. */
        UNSIGNED,
        /** Signed by a key this member does not trust. */
        UNKNOWN_KEY,
        /** The signature does not match the content. */
        BAD_SIGNATURE,
        /** Signed, but the configuration inside is invalid. */
        INVALID_CONFIG,
        /** Older than the revision already accepted: a replay. */
        STALE
    }

    private final Reason reason;

    public RevisionRejectedException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "`reason` must not be `null`");
    }

    public Reason reason() {
        return reason;
    }
}
