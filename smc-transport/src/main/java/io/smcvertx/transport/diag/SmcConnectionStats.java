package io.smcvertx.transport.diag;

import java.util.Map;

/**
 * Counters over the connections one SMC layer made or accepted, by the kernel's word: what a
 * metrics binder reads, whatever the stack (plain Netty, Vert.x, gRPC, Reactor Netty). Every
 * method returns a snapshot and is cheap (no scan, no kernel call), so a scrape may call them all.
 */
public interface SmcConnectionStats {

    /** Connections open now, by mode (pending ones count as {@link ConnectionMode#UNKNOWN}). */
    Map<ConnectionMode, Long> openByMode();

    /** Connections classified since start, by mode (a counter per mode). */
    Map<ConnectionMode, Long> classifiedByMode();

    /** TCP fallbacks since start, by the kernel's reason code ({@code 0x03010000} ...). */
    Map<String, Long> fallbacksByReason();

    /** Connections closed because SMC was required but the kernel left them on TCP, by reason code. */
    Map<String, Long> requiredClosedByReason();

    /** Listeners bound now: address ({@code host:port}) to how they listen ("SMC", "TCP (listener rule)", ...). */
    Map<String, String> listeners();

    /** Whether new channels get SMC sockets (false when SMC is unavailable or disabled). */
    boolean smcSockets();

    /**
     * Calls {@code listener} (once, on whatever thread counts it) each time a counter key appears
     * for the first time: a new fallback or REQUIRED-close reason. Lets a metrics binder add a
     * series for it without polling.
     */
    void onNewKey(Runnable listener);
}
