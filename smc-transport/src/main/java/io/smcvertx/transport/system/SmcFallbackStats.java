package io.smcvertx.transport.system;

import io.smcvertx.transport.diag.FallbackReason;
import java.util.List;

/**
 * Fallback counters per decline code ({@code SMC_NETLINK_GET_FBACK_STATS}).
 *
 * @param serverFallbacks total fallbacks on the server (listener) side
 * @param clientFallbacks total fallbacks on the client side
 * @param reasons         one row per side and reason the kernel has counted
 */
public record SmcFallbackStats(long serverFallbacks, long clientFallbacks, List<Row> reasons) {

    public SmcFallbackStats {
        reasons = List.copyOf(reasons);
    }

    /**
     * @param server true for the server side
     * @param reason the decline code
     * @param count  how often (the kernel keeps a u16 per reason)
     */
    public record Row(boolean server, FallbackReason reason, long count) {
    }

    /** The count for one side and reason, 0 if the kernel has none. */
    public long count(boolean server, int reasonCode) {
        return reasons.stream().filter(r -> r.server() == server && r.reason().code() == reasonCode)
                .mapToLong(Row::count).sum();
    }
}
