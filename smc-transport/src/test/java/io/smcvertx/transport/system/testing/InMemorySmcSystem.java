package io.smcvertx.transport.system.testing;

import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.PnetId;
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
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A kernel's SMC configuration in memory, with the kernel's refusals: one PNET ID per
 * interface or device port (EEXIST), at most 4 UEIDs (ENOSPC), no SEID off IBM Z (EOPNOTSUPP),
 * on IBM Z no disabling the SEID without a UEID (ENOENT) and the SEID back on when the last UEID
 * goes (both seen on the s390x lab kernel), unknown sysctls (ENOENT). Failures can be injected per operation; every write is counted.
 */
public final class InMemorySmcSystem implements SmcSystem {

    private final List<PnetEntry> pnet = new ArrayList<>();
    private final Set<Ueid> ueids = new LinkedHashSet<>();
    private final Map<String, String> sysctls = new TreeMap<>(Map.of("wmem", "262144", "rmem", "131072",
            "autocorking_size", "65536"));
    private final Optional<String> seid;
    private boolean seidEnabled;
    private boolean hs;
    private volatile Predicate<String> failWrite = op -> false;
    private volatile String unavailable;
    public final AtomicInteger writes = new AtomicInteger();

    public InMemorySmcSystem() {
        this(Optional.empty());
    }

    public InMemorySmcSystem(Optional<String> seid) {
        this.seid = seid;
        this.seidEnabled = seid.isPresent();
    }

    /** Makes writes whose description matches fail with EIO, e.g. {@code op -> op.startsWith("addUeid")}. */
    public void failWrites(Predicate<String> which) {
        this.failWrite = which;
    }

    /** Reads fail as on a kernel without SMC. */
    public void unavailable(String cause) {
        this.unavailable = cause;
    }

    @Override
    public synchronized List<PnetEntry> pnetTable() throws IOException {
        check();
        return List.copyOf(pnet);
    }

    @Override
    public synchronized void addPnet(PnetEntry entry) throws IOException {
        write("addPnet " + entry);
        for (PnetEntry e : pnet) {
            boolean sameEth = e.ethName().isPresent() && e.ethName().equals(entry.ethName());
            boolean sameDev = e.deviceName().isPresent() && e.deviceName().equals(entry.deviceName())
                    && e.devicePort() == entry.devicePort();
            if (sameEth || sameDev) {
                if (e.equals(entry)) {
                    throw new IOException("SMC_PNETID_ADD: EEXIST (entry exists)");
                }
                throw new IOException("SMC_PNETID_ADD: EEXIST (" + (sameEth ? entry.ethName().get()
                        : entry.deviceName().get()) + " already has PNET ID " + e.pnetId() + ")");
            }
        }
        if (entry.ethName().isPresent() && entry.deviceName().isPresent()) {
            pnet.add(new PnetEntry(entry.pnetId(), entry.ethName(), Optional.empty(), 0));
            pnet.add(new PnetEntry(entry.pnetId(), Optional.empty(), entry.deviceName(), entry.devicePort()));
        } else {
            pnet.add(entry);
        }
    }

    @Override
    public synchronized void removePnet(PnetId pnetId) throws IOException {
        write("removePnet " + pnetId);
        if (!pnet.removeIf(e -> e.pnetId().equals(pnetId))) {
            throw new IOException("SMC_PNETID_DEL: ENOENT (" + pnetId + ")");
        }
    }

    @Override
    public synchronized List<Ueid> ueids() throws IOException {
        check();
        return List.copyOf(ueids);
    }

    @Override
    public synchronized void addUeid(Ueid ueid) throws IOException {
        write("addUeid " + ueid);
        if (ueids.contains(ueid)) {
            throw new IOException("SMC_NETLINK_ADD_UEID: EEXIST");
        }
        if (ueids.size() >= Ueid.MAX_PER_HOST) {
            throw new IOException("SMC_NETLINK_ADD_UEID: ENOSPC (the kernel holds at most 4 UEIDs)");
        }
        ueids.add(ueid);
    }

    @Override
    public synchronized void removeUeid(Ueid ueid) throws IOException {
        write("removeUeid " + ueid);
        if (!ueids.remove(ueid)) {
            throw new IOException("SMC_NETLINK_REMOVE_UEID: ENOENT");
        }
        if (ueids.isEmpty() && seid.isPresent()) {
            seidEnabled = true;     // as the s390x kernel does when its last UEID goes
        }
    }

    @Override
    public synchronized SeidState seid() throws IOException {
        check();
        return new SeidState(seid, seidEnabled);
    }

    @Override
    public synchronized void setSeidEnabled(boolean enabled) throws IOException {
        write("setSeidEnabled " + enabled);
        if (seid.isEmpty()) {
            throw new IOException("the SEID exists only on IBM Z");
        }
        if (!enabled && ueids.isEmpty()) {
            throw new IOException("SMC_NETLINK_DISABLE_SEID: ENOENT (the SEID cannot be disabled while no UEID is configured)");
        }
        seidEnabled = enabled;
    }

    @Override
    public synchronized boolean handshakeLimitation() throws IOException {
        check();
        return hs;
    }

    @Override
    public synchronized void setHandshakeLimitation(boolean enabled) throws IOException {
        write("setHandshakeLimitation " + enabled);
        hs = enabled;
    }

    @Override
    public synchronized Map<String, String> sysctls() throws IOException {
        check();
        return Map.copyOf(sysctls);
    }

    @Override
    public synchronized void setSysctl(String name, String value) throws IOException {
        write("setSysctl " + name);
        if (!sysctls.containsKey(name)) {
            throw new IOException("/proc/sys/net/smc/" + name + ": ENOENT");
        }
        sysctls.put(name, value);
    }

    private void check() throws IOException {
        if (unavailable != null) {
            throw new IOException(unavailable);
        }
    }

    private void write(String op) throws IOException {
        check();
        writes.incrementAndGet();
        if (failWrite.test(op)) {
            throw new IOException(op + ": EIO (injected)");
        }
    }
}
