package io.smcvertx.disni.pingpong;

import java.util.Arrays;
import java.util.Locale;

/**
 * What one transport did in one round.
 *
 * @param transport  which one
 * @param round      round number (warm-up rounds are negative)
 * @param trips      round trips completed
 * @param nanos      how long they took in all
 * @param p50Nanos   median round-trip time
 * @param p99Nanos   99th percentile round-trip time
 */
record LegResult(Transport transport, int round, long trips, long nanos, long p50Nanos, long p99Nanos) {

    /** Round trips per second of this leg. */
    double tripsPerSecond() {
        return trips * 1e9 / nanos;
    }

    /** Summarises {@code count} measured round-trip times (the array is sorted in place). */
    static LegResult of(Transport transport, int round, long[] tripNanos, int count, long totalNanos) {
        Arrays.sort(tripNanos, 0, count);
        return new LegResult(transport, round, count, totalNanos, percentile(tripNanos, count, 50), percentile(tripNanos, count, 99));
    }

    private static long percentile(long[] sorted, int count, int p) {
        if (count == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, index))];
    }

    /** One machine-readable line, {@code key=value}. */
    String line() {
        return String.format(Locale.ROOT, "pingpong transport=%s round=%d trips=%d seconds=%.3f trips_per_s=%.1f p50_us=%.1f p99_us=%.1f",
                transport, round, trips, nanos / 1e9, tripsPerSecond(), p50Nanos / 1e3, p99Nanos / 1e3);
    }
}
