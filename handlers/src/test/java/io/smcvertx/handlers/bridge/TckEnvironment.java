package io.smcvertx.handlers.bridge;

import org.reactivestreams.tck.TestEnvironment;

/** The TCK timeouts for this module: generous enough for two shared cores and a context hop per signal. */
public final class TckEnvironment {

    /** How long to wait for an expected signal. */
    public static final long TIMEOUT_MS = 1_000;
    /** How long to watch for a signal that must not come (each such check costs this much). */
    public static final long NO_SIGNAL_TIMEOUT_MS = 50;
    /** How long a cancelled subscriber may stay referenced (rule 3.13). */
    public static final long GC_TIMEOUT_MS = 500;

    private TckEnvironment() {
    }

    /** A fresh environment (each verification class needs its own). */
    public static TestEnvironment create() {
        return new TestEnvironment(TIMEOUT_MS, NO_SIGNAL_TIMEOUT_MS, TIMEOUT_MS);
    }
}
