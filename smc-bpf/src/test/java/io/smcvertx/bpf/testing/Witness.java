package io.smcvertx.bpf.testing;

import io.smcvertx.bpf.Cgroups;
import io.smcvertx.bpf.TransparentRefusedException;
import io.smcvertx.transport.Smc;
import io.smcvertx.transport.diag.SmcDiag;
import io.smcvertx.transport.diag.SmcSocketInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The lab's witness for transparent SMC: which process owns which socket ({@code /proc/PID/fd}),
 * and what the kernel says each socket is: an SMC socket and its mode (smc_diag, the kernel's own
 * word) or a TCP socket ({@code /proc/net/tcp}, {@code tcp6}) and nothing else.
 */
public final class Witness {

    /** What the kernel says about one socket of one process. */
    public record Verdict(long pid, String comm, long inode, Optional<SmcSocketInfo> smc, boolean tcp) {
        public boolean smcd() {
            return smc.isPresent() && smc.get().mode() == io.smcvertx.transport.diag.ConnectionMode.SMCD;
        }

        public boolean listener() {
            return smc.map(SmcSocketInfo::isListener).orElse(false);
        }

        @Override
        public String toString() {
            return pid + " " + comm + " socket:[" + inode + "] " + smc.map(s -> "SMC " + s.mode() + " " + s.state()
                    + " " + s.fallbackReason()).orElse(tcp ? "TCP (not an SMC socket)" : "neither SMC nor TCP");
        }
    }

    private Witness() {
    }

    /** The lab contract: SMC, cgroup v2 and kernel BTF here; fail in the lab, skip elsewhere. */
    public static Cgroups requireLab() {
        List<String> missing = new ArrayList<>();
        if (!Smc.isAvailable()) {
            missing.add("kernel SMC: " + Smc.unavailabilityCause().getMessage());
        }
        if (!Files.isReadable(Path.of("/sys/kernel/btf/vmlinux"))) {
            missing.add("readable kernel BTF (/sys/kernel/btf/vmlinux)");
        }
        Cgroups c = null;
        try {
            c = Cgroups.system();
        } catch (TransparentRefusedException e) {
            missing.add(e.getMessage());
        }
        if (!missing.isEmpty()) {
            String why = "needs " + String.join("; ", missing);
            if (Boolean.getBoolean("smcvertx.lab")) {
                Assertions.fail(why);
            }
            Assumptions.abort(why);
        }
        return c;
    }

    /** Processes in a cgroup and every cgroup below it. */
    public static List<Long> pidsBelow(Cgroups c, String cgroupPath) throws IOException {
        List<Long> out = new ArrayList<>();
        try (var walk = Files.walk(c.dir(cgroupPath))) {
            for (Path d : walk.filter(Files::isDirectory).toList()) {
                try {
                    out.addAll(c.processes(c.path(d)));
                } catch (IOException gone) {
                    // removed meanwhile
                }
            }
        }
        return out;
    }

    /** Socket inodes of a process, from its descriptors ({@code socket:[N]}). */
    public static Set<Long> sockets(long pid) {
        Set<Long> out = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        out.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        } catch (IOException gone) {
            // the process ended
        }
        return out;
    }

    public static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /** The kernel's verdict on every socket of these processes: one smc_diag dump, one read of /proc/net/tcp*. */
    public static List<Verdict> verdicts(List<Long> pids) throws IOException {
        Map<Long, SmcSocketInfo> smc = new LinkedHashMap<>();
        try (SmcDiag diag = SmcDiag.open(Duration.ZERO, Duration.ofSeconds(60))) {
            for (SmcSocketInfo s : diag.dump()) {
                smc.put(s.inode(), s);
            }
        }
        Set<Long> tcp = tcpInodes();
        List<Verdict> out = new ArrayList<>();
        for (long pid : pids) {
            String comm = comm(pid);
            for (long inode : sockets(pid)) {
                out.add(new Verdict(pid, comm, inode, Optional.ofNullable(smc.get(inode)), tcp.contains(inode)));
            }
        }
        return out;
    }

    private static final java.lang.foreign.Linker LINKER = java.lang.foreign.Linker.nativeLinker();
    private static final java.lang.invoke.MethodHandle OPEN = LINKER.downcallHandle(
            LINKER.defaultLookup().find("open").orElseThrow(), java.lang.foreign.FunctionDescriptor.of(
                    java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.ADDRESS,
                    java.lang.foreign.ValueLayout.JAVA_INT), java.lang.foreign.Linker.Option.firstVariadicArg(2));
    private static final java.lang.invoke.MethodHandle SETNS = LINKER.downcallHandle(
            LINKER.defaultLookup().find("setns").orElseThrow(), java.lang.foreign.FunctionDescriptor.of(
                    java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.JAVA_INT,
                    java.lang.foreign.ValueLayout.JAVA_INT));
    private static final java.lang.invoke.MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("close").orElseThrow(), java.lang.foreign.FunctionDescriptor.of(
                    java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.JAVA_INT));

    /**
     * One smc_diag dump of the named network namespace ({@code ip netns add NAME}): a platform
     * thread of its own joins the namespace ({@code setns}), dumps there (the netlink socket is made
     * in the thread's namespace) and ends. Milliseconds, where a python reader costs seconds under
     * emulation.
     */
    public static List<SmcSocketInfo> smcDiagIn(String netns) throws Exception {
        List<SmcSocketInfo> out = new ArrayList<>();
        Exception[] failure = new Exception[1];
        Thread t = Thread.ofPlatform().start(() -> {
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                int fd = (int) OPEN.invokeExact(arena.allocateFrom("/run/netns/" + netns), 0x80000 /* O_CLOEXEC */);
                int rc = fd < 0 ? -1 : (int) SETNS.invokeExact(fd, 0x40000000 /* CLONE_NEWNET */);
                if (fd >= 0) {
                    int ignored = (int) CLOSE.invokeExact(fd); // the thread keeps the namespace, not the descriptor
                }
                if (rc != 0) {
                    throw new IOException("cannot join network namespace " + netns + " (fd " + fd + ")");
                }
                try (SmcDiag diag = SmcDiag.open(Duration.ZERO, Duration.ofSeconds(60))) {
                    out.addAll(diag.dump());
                }
            } catch (Exception e) {
                failure[0] = e;
            } catch (Throwable e) {
                failure[0] = new IllegalStateException(e);
            }
        });
        t.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        return out;
    }

    /** Inodes of every TCP socket in this network namespace ({@code /proc/net/tcp} and {@code tcp6}, column 10). */
    public static Set<Long> tcpInodes() throws IOException {
        return tcpInodes("self");
    }

    /** The same in the network namespace of process {@code pid} ({@code /proc/PID/net/tcp}). */
    public static Set<Long> tcpInodes(String pid) throws IOException {
        Set<Long> out = new HashSet<>();
        for (String f : new String[] {"/proc/" + pid + "/net/tcp", "/proc/" + pid + "/net/tcp6"}) {
            List<String> lines = Files.readAllLines(Path.of(f), StandardCharsets.US_ASCII);
            for (String l : lines.subList(1, lines.size())) {
                String[] cols = l.trim().split("\\s+");
                if (cols.length > 9) {
                    out.add(Long.parseLong(cols[9]));
                }
            }
        }
        return out;
    }

    /** Whether something listens on 127.0.0.1/0.0.0.0:port (TCP, or the TCP socket under an SMC listener). */
    public static boolean listening(int port) throws IOException {
        return listening("self", port);
    }

    /** The same in the network namespace of process {@code pid}. */
    public static boolean listening(String pid, int port) throws IOException {
        String hex = String.format(":%04X ", port);
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/net/tcp"), StandardCharsets.US_ASCII)) {
            String[] cols = l.trim().split("\\s+");
            if (cols.length > 3 && (cols[1] + " ").endsWith(hex) && cols[3].equals("0A")) {
                return true;
            }
        }
        return false;
    }

    /** Polls {@code check} every 200 ms until it holds or {@code limit} passes; returns whether it held. */
    public static boolean await(Duration limit, IoCheck check) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (check.holds()) {
                return true;
            }
            Thread.sleep(200);
        }
        return check.holds();
    }

    /** A condition that reads the system. */
    @FunctionalInterface
    public interface IoCheck {
        boolean holds() throws Exception;
    }

    /**
     * A directory for busybox httpd: {@code big.bin} of {@code bytes} pseudo-random bytes, and the CGI
     * {@code /cgi-bin/slow?N}, which holds its connection open for N seconds and then sends big.bin.
     * A client's rate limit is no way to keep a connection open long enough to look at it: over
     * loopback TCP the kernel's buffers take the whole file at once (curl --limit-rate 512k fetched
     * 8 MiB in 0.65 s on the host).
     */
    public static Path docroot(Path dir, int bytes) throws IOException {
        Files.createDirectories(dir.resolve("cgi-bin"));
        byte[] data = new byte[bytes];
        new Random(15).nextBytes(data);
        Files.write(dir.resolve("big.bin"), data);
        Path cgi = dir.resolve("cgi-bin/slow");
        Files.writeString(cgi, "#!/bin/sh\nprintf 'Content-Type: application/octet-stream\\r\\n\\r\\n'\n"
                + "sleep \"${QUERY_STRING:-10}\"\nexec cat " + dir.toAbsolutePath().resolve("big.bin") + "\n");
        cgi.toFile().setExecutable(true, false);
        return dir;
    }

    /** A port nothing listens on now (chosen from /proc/net/tcp, without opening a socket ourselves). */
    public static int freePort(int from) throws IOException {
        for (int p = from; p < from + 1000; p++) {
            if (!listening(p)) {
                return p;
            }
        }
        throw new IOException("no free port from " + from);
    }

    /** Verdicts matching a predicate, as text for assertion messages. */
    public static String describe(List<Verdict> vs, Predicate<Verdict> p) {
        return vs.stream().filter(p).map(Verdict::toString).toList().toString();
    }
}
