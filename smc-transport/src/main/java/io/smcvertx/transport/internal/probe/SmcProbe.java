package io.smcvertx.transport.internal.probe;

import io.smcvertx.transport.SmcCapabilities;
import io.smcvertx.transport.SmcCapabilities.Fact;
import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.SmcUnavailableException;
import io.smcvertx.transport.internal.ffm.Errno;
import io.smcvertx.transport.internal.ffm.LibC;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The probe behind {@code Smc}. System calls answer "can I make an SMC socket"; sysfs and
 * procfs answer which devices exist. The file-system root is a parameter so tests can feed it
 * a captured tree.
 */
public final class SmcProbe {

    /** System property that turns SMC off for the whole JVM, like Netty's {@code io.netty.transport.noNative}. */
    public static final String NO_SMC_PROPERTY = "io.smcvertx.transport.noSmc";

    /** What was found, and, when no SMC socket can be made, why. */
    public record Result(SmcCapabilities capabilities, SmcUnavailableException cause) {
        public boolean available() {
            return cause == null;
        }
    }

    /** Opens a socket and closes it again: {@code socket(2)} as a question. */
    @FunctionalInterface
    public interface SocketCall {
        void tryOpen(String what, int domain, int type, int protocol) throws SmcNativeException;
    }

    private static final SocketCall REAL = (what, domain, type, protocol) ->
            LibC.close(LibC.socket(what, domain, type, protocol));

    private final Path root;
    private final SocketCall sockets;

    public SmcProbe(Path root, SocketCall sockets) {
        this.root = root;
        this.sockets = sockets;
    }

    /** Probes the running system. Never throws: every failure becomes part of the result. */
    public static Result probeSystem() {
        if (Boolean.getBoolean(NO_SMC_PROPERTY)) {
            return disabledByProperty(readRelease(Path.of("/")));
        }
        try {
            return new SmcProbe(Path.of("/"), REAL).probe();
        } catch (IllegalCallerException e) {
            return nativeAccessDenied(readRelease(Path.of("/")), e);
        } catch (Throwable t) {
            // a broken probe must not take the application down: report it as the cause
            String release = readRelease(Path.of("/"));
            Fact broken = Fact.unknown("probe failed: " + t);
            return new Result(new SmcCapabilities(release, broken, broken, broken, broken, broken, broken),
                    new SmcUnavailableException("SMC probe failed: " + t, t));
        }
    }

    public Result probe() {
        String release = readRelease(root);
        SmcNativeException afSmcError = tryOpen("socket(AF_SMC)", LibC.AF_SMC, LibC.SMCPROTO_SMC);
        SmcNativeException ipprotoError = tryOpen("socket(AF_INET, IPPROTO_SMC)", LibC.AF_INET, LibC.IPPROTO_SMC);
        Fact afSmc = afSmcError == null
                ? Fact.yes("socket(AF_SMC, SOCK_STREAM, SMCPROTO_SMC) succeeded")
                : Fact.no(afSmcError.getMessage());
        Fact ipproto = ipprotoError == null
                ? Fact.yes("socket(AF_INET, SOCK_STREAM, IPPROTO_SMC) succeeded")
                : Fact.no(ipprotoError.getMessage() + ipprotoHint(ipprotoError, release));
        boolean smcLoaded = afSmcError == null || ipprotoError == null;
        SmcCapabilities caps = new SmcCapabilities(release, afSmc, ipproto, ismDevice(), loopbackIsm(smcLoaded),
                smcrDevice(), Fact.unknown("the UEID table is readable only through SMC_GEN_NETLINK "
                        + "SMC_NETLINK_DUMP_UEID, which this probe does not query"));
        SmcUnavailableException cause = smcLoaded ? null
                : unavailable(afSmcError, ipprotoError, release, () -> new KernelBuild(root, release).whyNoSmc());
        return new Result(caps, cause);
    }

    private SmcNativeException tryOpen(String what, int domain, int protocol) {
        try {
            sockets.tryOpen(what, domain, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, protocol);
            return null;
        } catch (SmcNativeException e) {
            return e;
        }
    }

    private static String ipprotoHint(SmcNativeException e, String release) {
        return e.errno() == Errno.EPROTONOSUPPORT ? "; IPPROTO_SMC needs Linux 6.11+ with SMC (this is " + release + ")" : "";
    }

    /**
     * The cause, worded for a person. For EAFNOSUPPORT, {@code why} reads the kernel's build
     * configuration and module tree (files only: this runs once, before any event loop).
     */
    static SmcUnavailableException unavailable(SmcNativeException afSmc, SmcNativeException ipproto, String release,
                                               java.util.function.Supplier<String> why) {
        String call = "socket(AF_SMC) -> " + afSmc.errnoName() + " (" + afSmc.errno() + ")";
        String message = switch (afSmc.errno()) {
            case Errno.EAFNOSUPPORT -> "kernel has no SMC: " + call + ": " + why.get();
            case Errno.EPERM, Errno.EACCES -> "SMC sockets are forbidden here: " + call
                    + "; a seccomp profile or security module denies address family 43 (AF_SMC); allow it for this process";
            case Errno.EMFILE, Errno.ENFILE -> "cannot tell whether SMC is available: " + call
                    + "; the process is out of file descriptors";
            default -> "SMC sockets cannot be created: " + call + " " + afSmc.getMessage();
        };
        message += "; and " + ipproto.syscall() + " -> " + ipproto.errnoName() + " (" + ipproto.errno() + ")";
        return new SmcUnavailableException(message, afSmc);
    }

    private static Result disabledByProperty(String release) {
        Fact off = Fact.unknown("not probed: -D" + NO_SMC_PROPERTY + "=true");
        return new Result(new SmcCapabilities(release, off, off, off, off, off, off),
                new SmcUnavailableException("SMC disabled by -D" + NO_SMC_PROPERTY + "=true", null));
    }

    private static Result nativeAccessDenied(String release, IllegalCallerException e) {
        Fact denied = Fact.unknown("native access denied: " + e.getMessage());
        return new Result(new SmcCapabilities(release, denied, denied, denied, denied, denied, denied),
                new SmcUnavailableException("Java native access is denied to io.smcvertx.transport: run the JVM with "
                        + "--enable-native-access=io.smcvertx.transport (module path) or "
                        + "--enable-native-access=ALL-UNNAMED (class path)", e));
    }

    static String readRelease(Path root) {
        try {
            return Files.readString(root.resolve("proc/sys/kernel/osrelease"), StandardCharsets.US_ASCII).trim();
        } catch (IOException | UncheckedIOException e) {
            return "unknown (" + e + ")";
        }
    }

    /** ISM is a PCI function on IBM Z; the {@code ism} driver lists the ones it bound. */
    Fact ismDevice() {
        Path driver = root.resolve("sys/bus/pci/drivers/ism");
        if (!Files.isDirectory(driver)) {
            return Fact.no("no ism driver (" + driver + " absent); ISM devices exist only on IBM Z");
        }
        List<String> bound = new ArrayList<>();
        try (Stream<Path> entries = Files.list(driver)) {
            entries.map(p -> p.getFileName().toString()).filter(n -> n.indexOf(':') > 0).sorted().forEach(bound::add);
        } catch (IOException | UncheckedIOException e) {
            return Fact.unknown("cannot list " + driver + ": " + e);
        }
        return bound.isEmpty()
                ? Fact.no("the ism driver is loaded but has no device bound")
                : Fact.yes("ism driver bound to " + String.join(", ", bound));
    }

    /**
     * loopback-ISM is neither in sysfs (it is never device_add()ed) nor in SMC_NETLINK_GET_DEV_SMCD
     * (hidden since 6.10). smc.ko creates it in its init when built with CONFIG_SMC_LO, and a
     * failure there fails the module load; so "smc loaded and has smc_loopback_init" means it exists.
     */
    Fact loopbackIsm(boolean smcLoaded) {
        if (!smcLoaded) {
            return Fact.no("no SMC in this kernel");
        }
        Path kallsyms = root.resolve("proc/kallsyms");
        try (Stream<String> lines = Files.lines(kallsyms, StandardCharsets.US_ASCII)) {
            boolean found = lines.anyMatch(SmcProbe::isLoopbackInit);
            return found
                    ? Fact.yes("smc is loaded and built with CONFIG_SMC_LO (smc_loopback_init in " + kallsyms
                            + "), so smc created loopback-ism at load")
                    : Fact.no("smc is built without CONFIG_SMC_LO (no smc_loopback_init in " + kallsyms + ")");
        } catch (IOException | UncheckedIOException e) {
            return Fact.unknown("cannot read " + kallsyms + ": " + e);
        }
    }

    private static boolean isLoopbackInit(String line) {
        // "ffffffffc0a1b2c0 T smc_loopback_init\t[smc]" (addresses are zeros for unprivileged readers)
        int sym = line.indexOf(" smc_loopback_init");
        if (sym < 0) {
            return false;
        }
        int end = sym + " smc_loopback_init".length();
        return end == line.length() || Character.isWhitespace(line.charAt(end));
    }

    /** SMC-R runs over RoCE: an RDMA device with a port whose link layer is Ethernet. */
    Fact smcrDevice() {
        Path ib = root.resolve("sys/class/infiniband");
        if (!Files.isDirectory(ib)) {
            return Fact.no("no RDMA devices (" + ib + " absent)");
        }
        List<String> roce = new ArrayList<>();
        List<String> other = new ArrayList<>();
        try (Stream<Path> devices = Files.list(ib)) {
            for (Path dev : devices.sorted().toList()) {
                Path ports = dev.resolve("ports");
                if (!Files.isDirectory(ports)) {
                    continue;
                }
                try (Stream<Path> ps = Files.list(ports)) {
                    for (Path port : ps.sorted().toList()) {
                        String layer = readTrimmed(port.resolve("link_layer"));
                        String name = dev.getFileName() + " port " + port.getFileName();
                        ("Ethernet".equals(layer) ? roce : other).add(name);
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return Fact.unknown("cannot list " + ib + ": " + e);
        }
        if (!roce.isEmpty()) {
            return Fact.yes("RoCE: " + String.join(", ", roce));
        }
        return Fact.no(other.isEmpty() ? "no RDMA devices in " + ib
                : "RDMA devices without an Ethernet link layer (not RoCE): " + String.join(", ", other));
    }

    private static String readTrimmed(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            return "";
        }
    }
}
