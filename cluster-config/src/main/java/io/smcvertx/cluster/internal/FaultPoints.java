package io.smcvertx.cluster.internal;

import java.util.function.Consumer;

/**
 * Named points in the store and the reconciler where a crash matters (between a file's write and
 * its rename, around the publish's compare-and-set). Nothing happens there unless a test installs
 * a hook, which may block the thread so that the test can kill the process at exactly that point:
 * the only way to prove crash safety without timing.
 */
public final class FaultPoints {

    /** The state file's new content is written and synced, not yet renamed over the old one. */
    public static final String STATE_FILE_BEFORE_RENAME = "state-file.before-rename";
    /** The reconciler's applied-revision journal is written and synced, not yet renamed. */
    public static final String APPLIED_FILE_BEFORE_RENAME = "applied-file.before-rename";
    /** A publish verified its base revision and is about to compare-and-set the map. */
    public static final String PUBLISH_BEFORE_CAS = "store.publish.before-cas";
    /** A publish won the compare-and-set; this member has not accepted it locally yet. */
    public static final String PUBLISH_AFTER_CAS = "store.publish.after-cas";

    private static volatile Consumer<String> hook;

    private FaultPoints() {
    }

    /** Called by production code at each point; free when no hook is installed. */
    public static void reached(String point) {
        Consumer<String> h = hook;
        if (h != null) {
            h.accept(point);
        }
    }

    /** Installs (or with {@code null} removes) the hook of this JVM. For tests only. */
    public static void install(Consumer<String> h) {
        hook = h;
    }
}
