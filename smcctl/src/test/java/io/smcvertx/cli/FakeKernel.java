package io.smcvertx.cli;

import io.smcvertx.transport.diag.FallbackReason;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.PnetId;
import io.smcvertx.transport.system.SeidState;
import io.smcvertx.transport.system.SmcDevice;
import io.smcvertx.transport.system.SmcFallbackStats;
import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.SmcStats;
import io.smcvertx.transport.system.SmcSysInfo;
import io.smcvertx.transport.system.SmcSysctl;
import io.smcvertx.transport.system.SmcdLinkGroup;
import io.smcvertx.transport.system.SmcrLinkGroup;
import io.smcvertx.transport.system.Ueid;
import io.smcvertx.transport.SmcNativeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An in-memory kernel for host tests of the CLI; errors carry the errnos the real kernel uses. */
final class FakeKernel implements SmcKernel {

    final List<PnetEntry> pnet = new ArrayList<>();
    final List<Ueid> ueids = new ArrayList<>();
    final Map<String, String> sysctls = new TreeMap<>(Map.of("wmem", "65536", "limit_smc_hs", "0"));
    boolean writable = true;

    private void write(String what) throws SmcNativeException {
        if (!writable) {
            throw new SmcNativeException(what + ": needs CAP_NET_ADMIN", 1, "EPERM", "Operation not permitted");
        }
    }

    @Override public SmcSysInfo sysInfo() { return new SmcSysInfo(2, 1, true, false, "host1", Optional.empty()); }
    @Override public List<SmcDevice> smcdDevices() { return List.of(); }
    @Override public List<SmcDevice> smcrDevices() { return List.of(); }
    @Override public List<SmcrLinkGroup> smcrLinkGroups() { return List.of(); }
    @Override public List<SmcdLinkGroup> smcdLinkGroups() {
        return List.of(new SmcdLinkGroup(0x100, 1, 2, 1, 2, 0, 1, Optional.empty(), 0xFFFF, Optional.empty()));
    }
    @Override public SmcStats stats() {
        Map<String, Long> d = new LinkedHashMap<>();
        d.put("clnt_v2_succ", 3L);
        d.put("rx_bytes", 100L);
        return new SmcStats(d, Map.of(), 0, 0);
    }
    @Override public SmcFallbackStats fallbackStats() {
        return new SmcFallbackStats(1, 0, List.of(new SmcFallbackStats.Row(true, FallbackReason.PEERNOSMC, 1)));
    }
    @Override public List<PnetEntry> pnetTable() { return List.copyOf(pnet); }
    @Override public List<PnetEntry> pnet(PnetId id) { return pnet.stream().filter(e -> e.pnetId().equals(id)).toList(); }
    @Override public void addPnet(PnetEntry e) throws IOException {
        write("pnet add");
        if (pnet.stream().anyMatch(x -> x.ethName().isPresent() && x.ethName().equals(e.ethName()))) {
            throw new SmcNativeException("pnet add: PNET ID " + e.pnetId() + " exists", 17, "EEXIST", "File exists");
        }
        pnet.add(e);
    }
    @Override public void removePnet(PnetId id) throws IOException {
        write("pnet del");
        if (!pnet.removeIf(e -> e.pnetId().equals(id))) {
            throw new SmcNativeException("pnet del: PNET ID " + id + " not found", 2, "ENOENT", "No such file or directory");
        }
    }
    @Override public void flushPnet() throws IOException { write("pnet flush"); pnet.clear(); }
    @Override public List<Ueid> ueids() { return List.copyOf(ueids); }
    @Override public void addUeid(Ueid u) throws IOException { write("ueid add"); ueids.add(u); }
    @Override public void removeUeid(Ueid u) throws IOException { write("ueid del"); ueids.remove(u); }
    @Override public void flushUeids() throws IOException { write("ueid flush"); ueids.clear(); }
    @Override public SeidState seid() { return new SeidState(Optional.empty(), false); }
    @Override public void setSeidEnabled(boolean e) throws IOException {
        throw new SmcNativeException("seid enable: the SEID exists only on IBM Z", 95, "EOPNOTSUPP", "Operation not supported");
    }
    @Override public boolean handshakeLimitation() { return false; }
    @Override public void setHandshakeLimitation(boolean e) { }
    @Override public Map<String, String> sysctls() { return sysctls; }
    @Override public Optional<String> sysctl(String n) { return Optional.ofNullable(sysctls.get(n)); }
    @Override public void setSysctl(String n, String v) throws IOException {
        String value = SmcSysctl.validate(n, v);
        write("sysctl");
        sysctls.put(SmcSysctl.find(n).orElseThrow().name(), value);
    }
}
