package io.smcvertx.cli.cluster;

import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.PnetId;
import io.smcvertx.transport.system.SeidState;
import io.smcvertx.transport.system.SmcSystem;
import io.smcvertx.transport.system.Ueid;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The smallest in-memory kernel that lets a reconciler run behind the CLI under test. */
final class MapSmcSystem implements SmcSystem {
    final List<PnetEntry> pnet = new ArrayList<>();
    final Set<Ueid> ueids = new LinkedHashSet<>();
    final Map<String, String> sysctls = new HashMap<>(Map.of("wmem", "262144"));

    @Override
    public synchronized List<PnetEntry> pnetTable() {
        return List.copyOf(pnet);
    }

    @Override
    public synchronized void addPnet(PnetEntry entry) throws IOException {
        if (pnet.stream().anyMatch(e -> e.ethName().isPresent() && e.ethName().equals(entry.ethName()))) {
            throw new IOException("EEXIST");
        }
        pnet.add(entry);
    }

    @Override
    public synchronized void removePnet(PnetId pnetId) {
        pnet.removeIf(e -> e.pnetId().equals(pnetId));
    }

    @Override
    public synchronized List<Ueid> ueids() {
        return List.copyOf(ueids);
    }

    @Override
    public synchronized void addUeid(Ueid ueid) {
        ueids.add(ueid);
    }

    @Override
    public synchronized void removeUeid(Ueid ueid) {
        ueids.remove(ueid);
    }

    @Override
    public SeidState seid() {
        return new SeidState(Optional.empty(), false);
    }

    @Override
    public void setSeidEnabled(boolean enabled) throws IOException {
        throw new IOException("the SEID exists only on IBM Z");
    }

    @Override
    public boolean handshakeLimitation() {
        return false;
    }

    @Override
    public void setHandshakeLimitation(boolean enabled) {
    }

    @Override
    public synchronized Map<String, String> sysctls() {
        return Map.copyOf(sysctls);
    }

    @Override
    public synchronized void setSysctl(String name, String value) {
        sysctls.put(name, value);
    }
}
