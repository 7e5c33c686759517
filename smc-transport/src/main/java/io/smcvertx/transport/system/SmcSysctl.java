package io.smcvertx.transport.system;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code net.smc.*} sysctls of Linux 6.12 (net/smc/smc_sysctl.c) with the ranges the
 * kernel enforces, so a bad value is refused with its name before anything is written.
 *
 * @param name        name below net.smc, e.g. "wmem"
 * @param min         smallest accepted value
 * @param max         largest accepted value
 * @param defaultValue the kernel's default
 * @param description what it controls
 */
public record SmcSysctl(String name, long min, long max, long defaultValue, String description) {

    /** Every sysctl this version knows; a kernel may have fewer (older) or more (newer). */
    public static final List<SmcSysctl> KNOWN = List.of(
            new SmcSysctl("autocorking_size", 0, 0xffffffffL, 65536, "bytes SMC collects before sending (0 disables autocorking)"),
            new SmcSysctl("smcr_buf_type", 0, 2, 0, "SMC-R buffers: 0 physically contiguous, 1 virtually contiguous, 2 mixed"),
            new SmcSysctl("smcr_testlink_time", 0, Integer.MAX_VALUE / 1000, 30, "seconds between SMC-R link keepalive tests (0 disables)"),
            new SmcSysctl("wmem", 16384, Integer.MAX_VALUE / 2, 65536, "initial send buffer size of SMC sockets, bytes"),
            new SmcSysctl("rmem", 16384, Integer.MAX_VALUE / 2, 65536, "initial receive buffer size of SMC sockets, bytes"),
            new SmcSysctl("smcr_max_links_per_lgr", 1, 2, 2, "links per SMC-R link group offered in v2.1 negotiation"),
            new SmcSysctl("smcr_max_conns_per_lgr", 16, 255, 255, "connections per SMC-R link group offered in v2.1 negotiation"),
            new SmcSysctl("limit_smc_hs", 0, 1, 0, "1: listeners stop offering SMC while the handshake queue is congested"));

    public SmcSysctl {
        Objects.requireNonNull(name, "`name` must not be `null`");
        Objects.requireNonNull(description, "`description` must not be `null`");
    }

    /** The known sysctl of this name ("net.smc." prefix accepted). */
    public static Optional<SmcSysctl> find(String name) {
        String n = strip(name);
        return KNOWN.stream().filter(s -> s.name.equals(n)).findFirst();
    }

    static String strip(String name) {
        Objects.requireNonNull(name, "`name` must not be `null`");
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.startsWith("net.smc.") ? n.substring("net.smc.".length()) : n;
    }

    /**
     * Checks a value for {@code name} and returns it normalised. Unknown names and values out
     * of range fail with the sysctl named.
     */
    public static String validate(String name, String value) {
        String n = strip(name);
        SmcSysctl s = find(n).orElseThrow(() -> new IllegalArgumentException("`net.smc." + n
                + "` is not a known SMC sysctl (known: " + KNOWN.stream().map(SmcSysctl::name).toList() + ")"));
        Objects.requireNonNull(value, "`net.smc." + n + "` value must not be `null`");
        long v;
        try {
            v = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("`net.smc." + n + "` must be an integer, got \"" + value + "\"", e);
        }
        if (v < s.min || v > s.max) {
            throw new IllegalArgumentException("`net.smc." + n + "` must be between " + s.min + " and " + s.max
                    + ", got " + v);
        }
        return Long.toString(v);
    }
}
