package io.smcvertx.transport;

/**
 * How hard a listener or client insists on SMC. The kernel still decides per connection: an
 * SMC socket whose peer cannot do SMC falls back to TCP with a reason code in every mode except
 * {@link #DISABLED}, where no SMC socket is made at all.
 */
public enum SmcMode {
    /** Create SMC sockets or fail: channel creation fails with {@link Smc#unavailabilityCause()}. */
    REQUIRED,
    /**
     * Create SMC sockets when the kernel offers them; otherwise hand out plain TCP sockets and
     * keep the reason, readable from the channel factory ({@code SmcChannels.plainCause()}).
     */
    PREFERRED,
    /** Plain TCP sockets; SMC is never tried. */
    DISABLED
}
