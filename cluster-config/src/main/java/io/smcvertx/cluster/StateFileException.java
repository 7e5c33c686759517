package io.smcvertx.cluster;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A local file the store or the reconciler starts from (the write-through copy of the last
 * revision, the applied-revision journal) cannot be trusted: unreadable, corrupt, unsigned,
 * tampered with or signed by an unknown key. Nothing is started from it; the message names the
 * file, the problem and what to do.
 */
public final class StateFileException extends RuntimeException {

    private final transient Path file;

    public StateFileException(Path file, String problem, Throwable cause) {
        super(Objects.requireNonNull(file, "`file` must not be `null`") + " refused at start: " + problem
                + " (move the file aside to start from the cluster's current revision)", cause);
        this.file = file;
    }

    /** The refused file. */
    public Path file() {
        return file;
    }
}
