package io.smcvertx.disni;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;

/**
 * The verdict for one IPv4 address, with what it rests on.
 *
 * @param address  the address that was checked
 * @param status   the verdict
 * @param evidence what was seen: the call that failed and the error it gave, or for
 *                 {@link RdmaReadinessStatus#READY} the objects that were created
 * @param remedy   what would fix it (the exact JVM flag, the library to build, ...); empty when ready
 */
public record RdmaReadiness(Inet4Address address, RdmaReadinessStatus status, String evidence, Optional<String> remedy) {

    public RdmaReadiness {
        Objects.requireNonNull(address, "`address` must not be `null`");
        Objects.requireNonNull(status, "`status` must not be `null`");
        Objects.requireNonNull(evidence, "`evidence` must not be `null`");
        Objects.requireNonNull(remedy, "`remedy` must not be `null`");
    }

    /** True when verbs can be used through this address. */
    public boolean isReady() {
        return status == RdmaReadinessStatus.READY;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + " " + status + ": " + evidence + remedy.map(r -> " (fix: " + r + ")").orElse("");
    }
}
