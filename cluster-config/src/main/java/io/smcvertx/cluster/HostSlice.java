package io.smcvertx.cluster;

import io.smcvertx.transport.system.CgroupPattern;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.Ueid;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one revision asks of one host's kernel.
 *
 * @param revision            the revision it comes from
 * @param pnet                PNET table rows this host must have
 * @param ueids               UEIDs this host must have (at most 4)
 * @param seidEnabled         the SEID switch, if the revision sets it
 * @param handshakeLimitation the handshake limitation, if the revision sets it
 * @param sysctls             {@code net.smc.*} sysctls by short name (without {@code net.smc.})
 * @param transparent         cgroup patterns whose processes get SMC sockets on this host
 */
public record HostSlice(long revision, Set<PnetEntry> pnet, Set<Ueid> ueids, Optional<Boolean> seidEnabled,
        Optional<Boolean> handshakeLimitation, Map<String, String> sysctls, Set<CgroupPattern> transparent) {

    public HostSlice {
        pnet = Set.copyOf(pnet);
        ueids = Set.copyOf(ueids);
        sysctls = Map.copyOf(sysctls);
        transparent = Set.copyOf(transparent);
    }

    /** A slice without transparent SMC. */
    public HostSlice(long revision, Set<PnetEntry> pnet, Set<Ueid> ueids, Optional<Boolean> seidEnabled,
            Optional<Boolean> handshakeLimitation, Map<String, String> sysctls) {
        this(revision, pnet, ueids, seidEnabled, handshakeLimitation, sysctls, Set.of());
    }

    /** Nothing desired: what a host has before any revision reached it. */
    public static HostSlice empty() {
        return new HostSlice(0, Set.of(), Set.of(), Optional.empty(), Optional.empty(), Map.of());
    }
}
