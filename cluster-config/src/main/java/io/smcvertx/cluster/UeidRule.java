package io.smcvertx.cluster;

import io.smcvertx.transport.system.Ueid;
import java.util.Objects;

/**
 * A UEID and the hosts that get it.
 *
 * @param ueid  the user-defined EID
 * @param hosts where it applies
 */
public record UeidRule(Ueid ueid, HostSelector hosts) {

    public UeidRule {
        Objects.requireNonNull(ueid, "`ueid` must not be `null`");
        Objects.requireNonNull(hosts, "`hosts` must not be `null`");
    }

    /** The UEID on every host. */
    public static UeidRule everywhere(String ueid) {
        return new UeidRule(new Ueid(ueid), HostSelector.ALL);
    }
}
