package io.smcvertx.bpf;

import io.smcvertx.transport.system.CgroupPattern;
import io.smcvertx.transport.system.TransparentSelection.SelectedCgroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The cgroup v2 hierarchy as this process sees it: paths (relative to the cgroup2 mount) and the
 * kernel's cgroup ids. A cgroup's id, the one {@code bpf_get_current_cgroup_id()} returns, is its
 * kernfs node id, which 64-bit kernels also show as the directory's inode number: that is how an
 * id is read here, with no system call of its own.
 *
 * <p>Where the tree is: the system property {@value #ROOT_PROPERTY} if set (a DaemonSet that
 * mounts the host's tree somewhere else), else the first {@code cgroup2} mount in
 * {@code /proc/self/mountinfo} ({@code /sys/fs/cgroup}, or {@code /sys/fs/cgroup/unified} on a
 * hybrid v1/v2 host).
 */
public final class Cgroups {

    /** Overrides where the cgroup2 tree is mounted. */
    public static final String ROOT_PROPERTY = "io.smcvertx.bpf.cgroupRoot";

    private final Path root;

    private Cgroups(Path root) {
        this.root = Objects.requireNonNull(root, "`root` must not be `null`");
    }

    /** The hierarchy mounted at {@code root} (tests use a plain directory tree). */
    public static Cgroups at(Path root) {
        return new Cgroups(root);
    }

    /**
     * This system's cgroup v2 hierarchy.
     *
     * @throws TransparentRefusedException naming what is missing, when no cgroup2 mount is found
     */
    public static Cgroups system() throws TransparentRefusedException {
        String explicit = System.getProperty(ROOT_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!Files.isRegularFile(p.resolve("cgroup.procs"))) {
                throw new TransparentRefusedException(TransparentRefusedException.Missing.CGROUP2,
                        "-D" + ROOT_PROPERTY + "=" + explicit + " is no cgroup v2 hierarchy (no cgroup.procs in it)");
            }
            return new Cgroups(p);
        }
        Optional<Path> m = mountPoint(Path.of("/proc/self/mountinfo"));
        if (m.isEmpty()) {
            throw new TransparentRefusedException(TransparentRefusedException.Missing.CGROUP2,
                    "no cgroup v2 hierarchy is mounted (no cgroup2 line in /proc/self/mountinfo): selecting processes "
                            + "needs cgroup v2 (mount -t cgroup2 none /sys/fs/cgroup)");
        }
        return new Cgroups(m.get());
    }

    /** The first cgroup2 mount point named in a mountinfo file. */
    static Optional<Path> mountPoint(Path mountinfo) {
        try {
            for (String line : Files.readAllLines(mountinfo, StandardCharsets.UTF_8)) {
                int sep = line.indexOf(" - ");
                if (sep < 0) {
                    continue;
                }
                String[] tail = line.substring(sep + 3).split(" ");
                String[] head = line.substring(0, sep).split(" ");
                if (tail.length > 0 && tail[0].equals("cgroup2") && head.length > 4) {
                    return Optional.of(Path.of(unescape(head[4])));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** mountinfo writes blanks and backslashes in octal ({@code \040}). */
    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                try {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape: keep the backslash
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Where the hierarchy is mounted. */
    public Path root() {
        return root;
    }

    /** The directory of a cgroup path ({@code /a/b} is {@code <root>/a/b}). */
    public Path dir(String cgroupPath) {
        if (!cgroupPath.startsWith("/")) {
            throw new IllegalArgumentException("cgroup path must start with '/', got \"" + cgroupPath + "\"");
        }
        return cgroupPath.equals("/") ? root : root.resolve(cgroupPath.substring(1));
    }

    /** The cgroup path of a directory below the root. */
    public String path(Path dir) {
        Path rel = root.relativize(dir);
        return rel.toString().isEmpty() ? "/" : "/" + rel.toString().replace('\\', '/');
    }

    /** The kernel's id of a cgroup (its directory's inode number). */
    public long id(String cgroupPath) throws IOException {
        return ((Number) Files.getAttribute(dir(cgroupPath), "unix:ino")).longValue();
    }

    /** Every cgroup that matches {@code pattern} now, by path and id, in name order. */
    public List<SelectedCgroup> match(CgroupPattern pattern) throws IOException {
        List<Path> level = List.of(root);
        for (String segment : pattern.segments()) {
            List<Path> next = new ArrayList<>();
            for (Path d : level) {
                try (Stream<Path> children = Files.list(d)) {
                    children.filter(Files::isDirectory)
                            .filter(c -> CgroupPattern.segmentMatches(segment, c.getFileName().toString()))
                            .sorted()
                            .forEach(next::add);
                } catch (IOException e) {
                    // a cgroup removed while we walk: it matches nothing any more
                }
            }
            level = next;
        }
        List<SelectedCgroup> out = new ArrayList<>();
        for (Path d : level) {
            try {
                out.add(new SelectedCgroup(path(d), ((Number) Files.getAttribute(d, "unix:ino")).longValue()));
            } catch (IOException e) {
                // removed meanwhile
            }
        }
        return out;
    }

    /** Every cgroup's path by id: a walk of the whole tree (for status views, not hot paths). */
    public Map<Long, String> pathsById() throws IOException {
        Map<Long, String> out = new HashMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(Files::isDirectory).forEach(d -> {
                try {
                    out.put(((Number) Files.getAttribute(d, "unix:ino")).longValue(), path(d));
                } catch (IOException e) {
                    // removed meanwhile
                }
            });
        }
        return out;
    }

    /** The cgroup v2 path of a process ({@code 0::/path} in {@code /proc/PID/cgroup}). */
    public static Optional<String> ofProcess(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "cgroup"), StandardCharsets.UTF_8)) {
                if (line.startsWith("0::")) {
                    return Optional.of(line.substring(3));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The process ids in a cgroup (not its descendants). */
    public List<Long> processes(String cgroupPath) throws IOException {
        List<Long> out = new ArrayList<>();
        for (String l : Files.readAllLines(dir(cgroupPath).resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
            if (!l.isBlank()) {
                out.add(Long.parseLong(l.trim()));
            }
        }
        return out;
    }

    /** Creates a child cgroup ({@code mkdir}); returns its path. */
    public String create(String parentPath, String name) throws IOException {
        Path d = dir(parentPath).resolve(name);
        Files.createDirectory(d);
        return path(d);
    }

    /** Removes an empty cgroup ({@code rmdir}; the kernel refuses with EBUSY while processes are in it). */
    public void remove(String cgroupPath) throws IOException {
        Files.delete(dir(cgroupPath));
    }
}
