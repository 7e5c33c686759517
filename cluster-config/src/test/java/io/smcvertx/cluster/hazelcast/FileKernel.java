package io.smcvertx.cluster.hazelcast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smcvertx.cluster.internal.DurableFile;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.PnetId;
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

/**
 * A kernel that outlives the process using it, as a real one does: smc-transport's in-memory
 * kernel, whose state is saved to a file after every successful write and loaded from it at start.
 * A process killed between two writes leaves exactly the writes done so far, which is what a
 * kernel holds when its reconciler dies in the middle of a revision. The write hook is
 * {@link HookedKernel}'s.
 */
final class FileKernel extends HookedKernel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final InMemorySmcSystem kernel;

    FileKernel(Path file) throws IOException {
        this(file, new InMemorySmcSystem());
    }

    private FileKernel(Path file, InMemorySmcSystem kernel) throws IOException {
        super(kernel);
        this.file = file;
        this.kernel = kernel;
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

    /** Saves the kernel's state (durably: a kill right after leaves it), then runs the hook. */
    @Override
    void written() throws IOException {
        synchronized (this) {
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
        }
        super.written();
    }
}
