package io.smcvertx.transport.system;

import java.util.Map;

/**
 * The kernel's SMC counters ({@code SMC_NETLINK_GET_STATS}), per technology. Counter names
 * follow the kernel attributes in lower case, e.g. {@code clnt_v2_succ}, {@code rx_bytes},
 * {@code tx_rmb_size.16K}, {@code rx_rmb_stats.alloc}. The maps keep the kernel's order.
 * Linux offers no netlink command to reset these counters.
 *
 * @param smcd                  SMC-D counters
 * @param smcr                  SMC-R counters
 * @param clientHandshakeErrors handshakes that failed on the client side
 * @param serverHandshakeErrors handshakes that failed on the server side
 */
public record SmcStats(Map<String, Long> smcd, Map<String, Long> smcr, long clientHandshakeErrors,
                       long serverHandshakeErrors) {

    public SmcStats {
        smcd = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(smcd));
        smcr = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(smcr));
    }

    /** An SMC-D counter, 0 when the kernel did not report it. */
    public long smcd(String counter) {
        return smcd.getOrDefault(counter, 0L);
    }

    /** An SMC-R counter, 0 when the kernel did not report it. */
    public long smcr(String counter) {
        return smcr.getOrDefault(counter, 0L);
    }
}
