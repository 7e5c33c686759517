package io.smcvertx.cli.cluster;

import io.smcvertx.cluster.ConfigConflictException;
import io.smcvertx.cluster.ConfigValidationException;
import io.smcvertx.cluster.FieldError;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns failures into one clear message and an exit code. */
final class Support {

    private Support() {
    }

    /** Writes a key pair to the two files it is given and returns the line to print. */
    interface KeyPairWriter {
        String write(Path privateKey, Path publicKey) throws Exception;
    }

    /**
     * The keygen commands' common part: PRIVATE and PRIVATE.pub, never over existing files
     * without {@code force}.
     */
    static int writeKeyPair(ClusterCommand parent, Path out, boolean force, KeyPairWriter writer) {
        Path pub = out.resolveSibling(out.getFileName() + ".pub");
        if (!force && (Files.exists(out) || Files.exists(pub))) {
            parent.err().println(out + " or " + pub + " exists; pass --force to overwrite");
            return 1;
        }
        try {
            parent.out().println(writer.write(out, pub));
            return 0;
        } catch (Exception e) {
            return fail(parent.err(), e);
        }
    }

    static int fail(PrintWriter err, Throwable t) {
        Throwable c = t;
        while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof ConfigValidationException v) {
            err.println("refused: the configuration has " + v.errors().size() + " error(s):");
            for (FieldError e : v.errors()) {
                err.println("  " + e);
            }
            return ClusterCommand.EXIT_INVALID;
        }
        if (c instanceof ConfigConflictException x) {
            err.println("conflict: " + x.getMessage());
            return ClusterCommand.EXIT_CONFLICT;
        }
        if (c instanceof ClusterCommand.Unreachable u) {
            err.println(u.getMessage());
            return ClusterCommand.EXIT_UNREACHABLE;
        }
        err.println("error: " + (c.getMessage() == null ? c.toString() : c.getMessage()));
        return 1;
    }
}
