package io.smcvertx.cluster;

/**
 * A publish lost the race or was based on an old revision: someone else published first.
 * Fetch the current revision, apply the change to it, and publish again.
 */
public class ConfigConflictException extends Exception {

    private final long attemptedRevision;
    private final long currentRevision;

    public ConfigConflictException(long attemptedRevision, long currentRevision, String message) {
        super(message);
        this.attemptedRevision = attemptedRevision;
        this.currentRevision = currentRevision;
    }

    public long attemptedRevision() {
        return attemptedRevision;
    }

    /** The revision the store held when the publish was refused (0: none). */
    public long currentRevision() {
        return currentRevision;
    }
}
