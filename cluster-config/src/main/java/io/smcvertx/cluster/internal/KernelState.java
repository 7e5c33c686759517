package io.smcvertx.cluster.internal;

import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.SeidState;
import io.smcvertx.transport.system.SmcSystem;
import io.smcvertx.transport.system.Ueid;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One reading of a kernel's SMC configuration. The PNET table and the UEIDs must be readable
 * (otherwise the kernel has no usable SMC); the rest is read where it can be and noted where not.
 *
 * @param pnet                the software PNET table
 * @param ueids               the UEIDs
 * @param seid                the SEID as reported (empty off IBM Z)
 * @param handshakeLimitation the handshake limitation, empty if unreadable
 * @param sysctls             {@code net.smc.*} by short name, empty if unreadable
 * @param notes               what could not be read
 */
public record KernelState(List<PnetEntry> pnet, Set<Ueid> ueids, SeidState seid, Optional<Boolean> handshakeLimitation,
        Map<String, String> sysctls, List<String> notes) {

    public KernelState {
        pnet = List.copyOf(pnet);
        ueids = Set.copyOf(ueids);
        sysctls = Map.copyOf(sysctls);
        notes = List.copyOf(notes);
    }

    /** Reads everything; fails only when the PNET table or the UEIDs cannot be read. */
    public static KernelState read(SmcSystem system, boolean wantHandshakeLimitation) throws IOException {
        List<PnetEntry> pnet = system.pnetTable();
        Set<Ueid> ueids = new LinkedHashSet<>(system.ueids());
        List<String> notes = new ArrayList<>();
        SeidState seid;
        try {
            seid = system.seid();
        } catch (IOException | RuntimeException e) {
            seid = new SeidState(Optional.empty(), false);
            notes.add("SEID unreadable: " + e.getMessage());
        }
        Optional<Boolean> hs = Optional.empty();
        if (wantHandshakeLimitation) {
            try {
                hs = Optional.of(system.handshakeLimitation());
            } catch (IOException | RuntimeException e) {
                notes.add("handshake limitation unreadable: " + e.getMessage());
            }
        }
        Map<String, String> sysctls = Map.of();
        try {
            sysctls = system.sysctls();
        } catch (IOException | RuntimeException e) {
            notes.add("net.smc sysctls unreadable: " + e.getMessage());
        }
        return new KernelState(pnet, ueids, seid, hs, sysctls, notes);
    }
}
