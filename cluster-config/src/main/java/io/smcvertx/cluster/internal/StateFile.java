package io.smcvertx.cluster.internal;

import io.smcvertx.cluster.RevisionRejectedException;
import io.smcvertx.cluster.SignedRevision;
import io.smcvertx.cluster.StateFileException;
import io.smcvertx.cluster.TrustedKeys;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The store's write-through file: the signed envelope of the last revision this member accepted,
 * replaced with {@link DurableFile}, so that a crash leaves the previous revision or the new one.
 */
public final class StateFile {

    private static final System.Logger LOG = System.getLogger(StateFile.class.getName());

    private StateFile() {
    }

    /**
     * Reads and verifies the file at start (empty when there is none). A stray temporary file is
     * what a crash between write and rename leaves: the file itself is then the previous, whole
     * revision, and the stray is removed.
     *
     * @throws StateFileException naming the file and the problem, when it is unreadable, corrupt,
     *                            unsigned, tampered with or signed by a key not trusted
     */
    public static Optional<SignedRevision> load(Path file, TrustedKeys trust) {
        try {
            DurableFile.removeStray(file);
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            return Optional.of(SignedRevision.verify(Files.readAllBytes(file), trust));
        } catch (IOException e) {
            throw new StateFileException(file, "cannot be read: " + e, e);
        } catch (RevisionRejectedException e) {
            throw new StateFileException(file, e.getMessage(), e);
        }
    }

    /** Replaces the file with {@code revision}; a failure is logged (the cluster still has it). */
    public static void write(Path file, SignedRevision revision) {
        try {
            DurableFile.write(file, revision.encoded(), FaultPoints.STATE_FILE_BEFORE_RENAME);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "cannot write the fleet configuration to {0}: {1}", file, e.toString());
        }
    }
}
