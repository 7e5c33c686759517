package io.smcvertx.cluster.hazelcast;

import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.PnetId;
import io.smcvertx.transport.system.SeidState;
import io.smcvertx.transport.system.SmcSystem;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Any kernel (the lab's real one, through netlink) with a hook after each successful write, given
 * the number of writes since the hook was installed; the hook may block so that a test can kill
 * the process between two writes. Reads and writes go to the kernel unchanged.
 */
class HookedKernel implements SmcSystem {

    private final SmcSystem kernel;
    private volatile IntConsumer afterWrite = n -> { };
    private int writes;

    HookedKernel(SmcSystem kernel) {
        this.kernel = kernel;
    }

    /** Runs {@code hook} after each write from now on, with the number of writes since this call. */
    synchronized void afterWrite(IntConsumer hook) {
        this.writes = 0;
        this.afterWrite = hook;
    }

    /** Called after each successful write. */
    void written() throws IOException {
        int n;
        synchronized (this) {
            n = ++writes;
        }
        afterWrite.accept(n);
    }

    @Override
    public List<PnetEntry> pnetTable() throws IOException {
        return kernel.pnetTable();
    }

    @Override
    public void addPnet(PnetEntry entry) throws IOException {
        kernel.addPnet(entry);
        written();
    }

    @Override
    public void removePnet(PnetId pnetId) throws IOException {
        kernel.removePnet(pnetId);
        written();
    }

    @Override
    public List<io.smcvertx.transport.system.Ueid> ueids() throws IOException {
        return kernel.ueids();
    }

    @Override
    public void addUeid(io.smcvertx.transport.system.Ueid ueid) throws IOException {
        kernel.addUeid(ueid);
        written();
    }

    @Override
    public void removeUeid(io.smcvertx.transport.system.Ueid ueid) throws IOException {
        kernel.removeUeid(ueid);
        written();
    }

    @Override
    public SeidState seid() throws IOException {
        return kernel.seid();
    }

    @Override
    public void setSeidEnabled(boolean enabled) throws IOException {
        kernel.setSeidEnabled(enabled);
        written();
    }

    @Override
    public boolean handshakeLimitation() throws IOException {
        return kernel.handshakeLimitation();
    }

    @Override
    public void setHandshakeLimitation(boolean enabled) throws IOException {
        kernel.setHandshakeLimitation(enabled);
        written();
    }

    @Override
    public Map<String, String> sysctls() throws IOException {
        return kernel.sysctls();
    }

    @Override
    public void setSysctl(String name, String value) throws IOException {
        kernel.setSysctl(name, value);
        written();
    }
}
