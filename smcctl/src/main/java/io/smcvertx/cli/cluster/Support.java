package io.smcvertx.cli.cluster;

import io.smcvertx.cluster.ConfigConflictException;
import io.smcvertx.cluster.ConfigValidationException;
import io.smcvertx.cluster.FieldError;
import java.io.PrintWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns failures into one clear message and an exit code. */
final class Support {

    private Support() {
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
