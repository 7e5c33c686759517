package io.smcvertx.cluster.hazelcast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smcvertx.cluster.internal.DurableFile;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.PnetId;
import io.smcvertx.transport.system.SeidState;
import io.smcvertx.transport.system.SmcSystem;
import io.smcvertx.transport.system.Ueid;
import io.smcvertx.transport.system.testing.InMemorySmcSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * A kernel that outlives the process using it, as a real one does: smc-transport's in-memory
 * kernel, whose state is saved to a file after every successful write and loaded from it at start.
 * A process killed between two writes leaves exactly the writes done so far, which is what a
 * kernel holds when its reconciler dies in the middle of a revision. A test hook runs after each
 * write with the number of writes since it was installed (it may block, so that the process can be
 * killed there).
 */
final class FileKernel implements SmcSystem {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final InMemorySmcSystem kernel = new InMemorySmcSystem();
    private volatile IntConsumer afterWrite = n -> { };
    private int writes;

    FileKernel(Path file) throws IOException {
        this.file = file;
        if (Files.exists(file)) {
            Snapshot s = read(file);
            for (PnetEntry e : s.pnet()) {
                kernel.addPnet(e);
            }
            for (Ueid u : s.ueids()) {
                kernel.addUeid(u);
            }
            kernel.setHandshakeLimitation(s.handshakeLimitation());
            for (Map.Entry<String, String> e : s.sysctls().entrySet()) {
                kernel.setSysctl(e.getKey(), e.getValue());
            }
        }
    }

    /** What a kernel file holds. */
    record Snapshot(List<PnetEntry> pnet, List<Ueid> ueids, boolean handshakeLimitation, Map<String, String> sysctls) {
    }

    /** Reads a kernel file (also from the test, while the process that owns it is dead). */
    static Snapshot read(Path file) throws IOException {
        JsonNode n = JSON.readTree(Files.readAllBytes(file));
        List<PnetEntry> pnet = new ArrayList<>();
        for (JsonNode p : n.path("pnet")) {
            pnet.add(new PnetEntry(PnetId.of(p.path("id").asText()),
                    p.hasNonNull("eth") ? Optional.of(p.get("eth").asText()) : Optional.empty(),
                    p.hasNonNull("dev") ? Optional.of(p.get("dev").asText()) : Optional.empty(), p.path("port").asInt()));
        }
        List<Ueid> ueids = new ArrayList<>();
        n.path("ueids").forEach(u -> ueids.add(Ueid.of(u.asText())));
        Map<String, String> sysctls = new TreeMap<>();
        n.path("sysctls").properties().forEach(e -> sysctls.put(e.getKey(), e.getValue().asText()));
        return new Snapshot(pnet, ueids, n.path("hs").asBoolean(), sysctls);
    }

    /** Runs {@code hook} after each write from now on, with the number of writes since this call. */
    synchronized void afterWrite(IntConsumer hook) {
        this.writes = 0;
        this.afterWrite = hook;
    }

    private synchronized void saved() throws IOException {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode pnet = n.putArray("pnet");
        for (PnetEntry e : kernel.pnetTable()) {
            ObjectNode p = pnet.addObject().put("id", e.pnetId().value()).put("port", e.devicePort());
            e.ethName().ifPresent(v -> p.put("eth", v));
            e.deviceName().ifPresent(v -> p.put("dev", v));
        }
        ArrayNode ueids = n.putArray("ueids");
        kernel.ueids().forEach(u -> ueids.add(u.value()));
        n.put("hs", kernel.handshakeLimitation());
        ObjectNode sys = n.putObject("sysctls");
        kernel.sysctls().forEach(sys::put);
        DurableFile.write(file, JSON.writeValueAsBytes(n), "kernel-file");
        afterWrite.accept(++writes);
    }

    @Override
    public List<PnetEntry> pnetTable() throws IOException {
        return kernel.pnetTable();
    }

    @Override
    public void addPnet(PnetEntry entry) throws IOException {
        kernel.addPnet(entry);
        saved();
    }

    @Override
    public void removePnet(PnetId pnetId) throws IOException {
        kernel.removePnet(pnetId);
        saved();
    }

    @Override
    public List<Ueid> ueids() throws IOException {
        return kernel.ueids();
    }

    @Override
    public void addUeid(Ueid ueid) throws IOException {
        kernel.addUeid(ueid);
        saved();
    }

    @Override
    public void removeUeid(Ueid ueid) throws IOException {
        kernel.removeUeid(ueid);
        saved();
    }

    @Override
    public SeidState seid() throws IOException {
        return kernel.seid();
    }

    @Override
    public void setSeidEnabled(boolean enabled) throws IOException {
        kernel.setSeidEnabled(enabled);
        saved();
    }

    @Override
    public boolean handshakeLimitation() throws IOException {
        return kernel.handshakeLimitation();
    }

    @Override
    public void setHandshakeLimitation(boolean enabled) throws IOException {
        kernel.setHandshakeLimitation(enabled);
        saved();
    }

    @Override
    public Map<String, String> sysctls() throws IOException {
        return kernel.sysctls();
    }

    @Override
    public void setSysctl(String name, String value) throws IOException {
        kernel.setSysctl(name, value);
        saved();
    }
}
