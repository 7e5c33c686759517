package io.smcvertx.transport.rdma;

import io.smcvertx.transport.internal.ffm.Verbs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Reads the RDMA devices of this host: state, link layer, netdev and GID types from sysfs (the
 * stable ABI under {@code /sys/class/infiniband}), the active MTU from libibverbs through FFM
 * when the library and a provider are installed. Reading never needs privileges; a device that
 * vanishes while it is read is left out.
 *
 * <pre>{@code
 * for (RdmaPort p : RdmaDevices.inventory().ports()) {
 *     System.out.println(p.device() + "/" + p.port() + " " + p.state() + ": " + p.smcMeaning());
 * }
 * }</pre>
 */
public final class RdmaDevices {

    private static final String EMPTY_GID = "0000:0000:0000:0000:0000:0000:0000:0000";

    private RdmaDevices() {
    }

    /** This host's devices, with libibverbs asked where it is installed. */
    public static RdmaInventory inventory() {
        return read(Path.of("/sys"), true);
    }

    /**
     * Reads the devices under {@code sysRoot/class/infiniband}.
     *
     * @param askVerbs whether to load libibverbs for the active MTU (false: sysfs only)
     */
    public static RdmaInventory read(Path sysRoot, boolean askVerbs) {
        Path base = sysRoot.resolve("class/infiniband");
        Map<String, List<Integer>> portNumbers = new TreeMap<>();
        Map<String, Path> dirs = new TreeMap<>();
        for (Path dev : list(base)) {
            String name = dev.getFileName().toString();
            List<Integer> ports = new ArrayList<>();
            for (Path p : list(dev.resolve("ports"))) {
                try {
                    ports.add(Integer.parseInt(p.getFileName().toString()));
                } catch (NumberFormatException notAPort) {
                    // sysfs has only numbered entries here; anything else is not ours to read
                }
            }
            ports.sort(Integer::compare);
            portNumbers.put(name, ports);
            dirs.put(name, dev);
        }
        Verbs.Result verbs = askVerbs ? Verbs.query(portNumbers)
                : new Verbs.Result(new VerbsStatus(dirs.isEmpty() ? VerbsStatus.State.NOT_NEEDED : VerbsStatus.State.FAILED,
                        dirs.isEmpty() ? "no RDMA device in sysfs" : "libibverbs not asked"), Map.of(), Map.of());
        List<RdmaDevice> devices = new ArrayList<>();
        dirs.forEach((name, dir) -> {
            List<RdmaPort> ports = new ArrayList<>();
            for (int port : portNumbers.get(name)) {
                port(name, port, dir.resolve("ports").resolve(Integer.toString(port)), verbs).ifPresent(ports::add);
            }
            Optional<String> parent = read(dir.resolve("parent"));
            devices.add(new RdmaDevice(name, parent, hardwarePnetIds(dir, ports.size()), ports));
        });
        return new RdmaInventory(devices, verbs.status());
    }

    private static Optional<RdmaPort> port(String device, int port, Path dir, Verbs.Result verbs) {
        Optional<String> state = read(dir.resolve("state"));
        if (state.isEmpty()) {
            return Optional.empty();
        }
        String linkLayer = read(dir.resolve("link_layer")).orElse("unknown");
        boolean ethernet = linkLayer.equalsIgnoreCase("Ethernet");
        List<RdmaGid> gids = new ArrayList<>();
        Map<String, Integer> netdevs = new LinkedHashMap<>();
        for (Path g : list(dir.resolve("gids"))) {
            int index;
            try {
                index = Integer.parseInt(g.getFileName().toString());
            } catch (NumberFormatException e) {
                continue;
            }
            Optional<String> gid = read(g).filter(v -> !v.equals(EMPTY_GID));
            // types/I and ndevs/I answer EINVAL for unpopulated entries: read() turns that into empty
            Optional<String> type = gid.flatMap(v -> read(dir.resolve("gid_attrs/types/" + index)));
            if (gid.isEmpty() || type.isEmpty()) {
                continue;
            }
            Optional<String> ndev = read(dir.resolve("gid_attrs/ndevs/" + index));
            ndev.ifPresent(n -> netdevs.merge(n, 1, Integer::sum));
            gids.add(new RdmaGid(index, gid.get(), GidType.fromSysfs(type.get(), ethernet), ndev));
        }
        gids.sort(java.util.Comparator.comparingInt(RdmaGid::index));
        Integer mtu = verbs.activeMtu().getOrDefault(device, Map.of()).get(port);
        Optional<String> netdev = netdevs.keySet().stream().findFirst();
        return Optional.of(new RdmaPort(device, port, stateName(state.get()), linkLayer, netdev, gids,
                mtu == null ? OptionalInt.empty() : OptionalInt.of(mtu)));
    }

    /** "4: ACTIVE" -> "ACTIVE". */
    static String stateName(String raw) {
        int colon = raw.indexOf(':');
        return (colon >= 0 ? raw.substring(colon + 1) : raw).strip();
    }

    /**
     * The firmware PNET IDs of an IBM Z PCI function: {@code device/util_string} holds 16 EBCDIC
     * characters per port (what the kernel's smc_pnet reads). Blank means none.
     */
    static List<Optional<String>> hardwarePnetIds(Path dev, int ports) {
        List<Optional<String>> out = new ArrayList<>();
        byte[] raw;
        try {
            raw = Files.readAllBytes(dev.resolve("device/util_string"));
        } catch (IOException | RuntimeException absent) {
            return out; // off IBM Z there is no util_string: the software PNET table is all there is
        }
        Charset ebcdic = Charset.isSupported("IBM037") ? Charset.forName("IBM037") : StandardCharsets.ISO_8859_1;
        for (int p = 0; p < Math.max(1, ports); p++) {
            int from = p * 16;
            if (from + 16 > raw.length) {
                out.add(Optional.empty());
                continue;
            }
            String id = new String(raw, from, 16, ebcdic).strip();
            out.add(id.isEmpty() || id.chars().anyMatch(c -> c < 0x20) ? Optional.empty() : Optional.of(id));
        }
        return out;
    }

    private static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            return out;
        }
        out.sort(java.util.Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    /** One sysfs attribute, stripped; empty when absent or unreadable (EINVAL for unused GID slots). */
    static Optional<String> read(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            String v = new String(in.readNBytes(4096), StandardCharsets.US_ASCII).strip();
            return v.isEmpty() ? Optional.empty() : Optional.of(v);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
