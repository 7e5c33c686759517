package io.smcvertx.bpf;

import io.smcvertx.bpf.internal.Bpf;
import io.smcvertx.bpf.internal.BpfObjects;
import io.smcvertx.transport.SmcNativeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every upgrade loaded on this host, whoever loaded it (a node's reconciler, a {@code smcctl
 * run}), as the kernel lists them: programs named {@value SmcUpgrade#PROGRAM_NAME}, their links
 * (attached or not), the cgroups in their maps, and which processes hold them, found through
 * {@code /proc/PID/fdinfo} ({@code link_id:} / {@code prog_id:} lines).
 *
 * <p>Listing objects by id needs CAP_SYS_ADMIN (the kernel's rule for {@code BPF_*_GET_NEXT_ID}).
 */
public final class UpgradeView {

    private UpgradeView() {
    }

    /**
     * One upgrade.
     *
     * @param programId  the program's id
     * @param loadedBy   the uid that loaded it
     * @param linkIds    its links (empty: loaded but not attached)
     * @param holders    processes holding its link or program, e.g. "1234 java (smcctl run -- curl ...)"
     * @param selected   the selected cgroups: path (or "id N (no such cgroup now)") by id
     */
    public record Upgrade(int programId, int loadedBy, List<Integer> linkIds, List<String> holders,
            Map<Long, String> selected) {
        public boolean attached() {
            return !linkIds.isEmpty();
        }
    }

    /**
     * Scans the kernel's programs and links.
     *
     * @throws SmcNativeException EPERM without CAP_SYS_ADMIN, with the call named
     */
    public static List<Upgrade> scan(Optional<Cgroups> cgroups) throws IOException {
        List<Upgrade> out = new ArrayList<>();
        Map<Long, String> paths = cgroups.isPresent() ? cgroups.get().pathsById() : Map.of();
        List<BpfObjects.LinkInfo> links = new ArrayList<>();
        for (int id = Bpf.nextLinkId(0); id != 0; id = Bpf.nextLinkId(id)) {
            int fd;
            try {
                fd = Bpf.linkFdById(id);
            } catch (SmcNativeException gone) {
                continue; // released between the two calls
            }
            try {
                links.add(BpfObjects.linkInfo(fd));
            } finally {
                Bpf.close(fd);
            }
        }
        for (int id = Bpf.nextProgId(0); id != 0; id = Bpf.nextProgId(id)) {
            int fd;
            try {
                fd = Bpf.progFdById(id);
            } catch (SmcNativeException gone) {
                continue;
            }
            try {
                BpfObjects.ProgInfo p = BpfObjects.progInfo(fd);
                if (!p.name().equals(SmcUpgrade.PROGRAM_NAME)) {
                    continue;
                }
                List<Integer> linkIds = links.stream().filter(l -> l.progId() == p.id()).map(BpfObjects.LinkInfo::id)
                        .toList();
                Map<Long, String> selected = new java.util.TreeMap<>();
                for (int mapId : p.mapIds()) {
                    int mfd = Bpf.mapFdById(mapId, Bpf.F_RDONLY);
                    try {
                        if (BpfObjects.mapName(mfd).equals(SmcUpgrade.MAP_NAME)) {
                            for (long key : Bpf.mapKeys(mfd, SmcUpgrade.MAX_SELECTED + 1)) {
                                selected.put(key, paths.getOrDefault(key, "id " + key + " (no such cgroup now)"));
                            }
                        }
                    } finally {
                        Bpf.close(mfd);
                    }
                }
                out.add(new Upgrade(p.id(), p.uid(), linkIds, List.of(), selected));
            } finally {
                Bpf.close(fd);
            }
        }
        // after every descriptor of our own is closed, so this process shows only where it really holds one
        return out.stream().map(u -> new Upgrade(u.programId(), u.loadedBy(), u.linkIds(),
                holders(u.programId(), u.linkIds()), u.selected())).toList();
    }

    /** Processes with a descriptor of this program or one of its links, from /proc/PID/fdinfo. */
    static List<String> holders(int progId, List<Integer> linkIds) {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                if (!holds(proc, progId, linkIds)) {
                    continue;
                }
                out.add(proc.getFileName() + " " + read(proc.resolve("comm")).strip() + " ("
                        + read(proc.resolve("cmdline")).replace('\0', ' ').strip() + ")");
            }
        } catch (IOException e) {
            out.add("(cannot list /proc: " + e.getMessage() + ")");
        }
        return out;
    }

    private static boolean holds(Path proc, int progId, List<Integer> linkIds) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fdinfo"))) {
            for (Path fd : fds) {
                String info = read(fd);
                if (info.contains("link_id:") ? linkIds.stream().anyMatch(l -> info.contains("link_id:\t" + l + "\n"))
                        : info.contains("prog_id:\t" + progId + "\n")) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false; // a process that ended, or one we may not look into
        }
        return false;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
