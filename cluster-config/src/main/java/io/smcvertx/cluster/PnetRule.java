package io.smcvertx.cluster;

import io.smcvertx.transport.system.PnetEntry;
import java.util.Objects;

/**
 * A PNET table entry and the hosts that get it.
 *
 * @param entry the row as the kernel takes it
 * @param hosts where it applies
 */
public record PnetRule(PnetEntry entry, HostSelector hosts) {

    public PnetRule {
        Objects.requireNonNull(entry, "`entry` must not be `null`");
        Objects.requireNonNull(hosts, "`hosts` must not be `null`");
    }

    /** The entry on every host. */
    public static PnetRule everywhere(PnetEntry entry) {
        return new PnetRule(entry, HostSelector.ALL);
    }
}
