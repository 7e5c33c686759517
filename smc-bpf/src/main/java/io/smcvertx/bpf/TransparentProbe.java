package io.smcvertx.bpf;

import io.smcvertx.bpf.TransparentRefusedException.Missing;
import io.smcvertx.bpf.internal.Bpf;
import io.smcvertx.bpf.internal.Btf;
import io.smcvertx.transport.SmcCapabilities.Fact;
import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.internal.ffm.Errno;
import io.smcvertx.transport.internal.ffm.LibC;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Finds out whether transparent SMC can work here, in the order things depend on each other:
 * a bpf(2) number for the architecture, kernel BTF, the {@code update_socket_protocol} hook in
 * it, the privileges, a trial load of the program (as {@code fmod_ret} on the hook) and a trial
 * attach with an empty selection (so no socket changes), and an {@code IPPROTO_SMC} socket. Every
 * step is tried where the steps it needs passed, so a refusal lists everything that is missing,
 * each with its evidence (errno, verifier log, kernel config line, lockdown state).
 *
 * <p>Never throws: every failure is a fact of the result. Nothing stays attached after a probe.
 */
public final class TransparentProbe {

    /** The kernel function the program modifies. */
    public static final String HOOK = "update_socket_protocol";

    /** The kernel's side of a probe: what needs system calls (tests replace it). */
    public interface Kernel {
        /** Loads the program with an empty map and attaches it, then detaches: null when that worked. */
        TrialFailure trialLoad(int btfId);

        /** Opens and closes an IPPROTO_SMC socket: null when that worked. */
        SmcNativeException ipprotoSmcSocket();
    }

    /**
     * A failed trial: which call, the errno, and the verifier's log (empty when it did not speak).
     *
     * @param step "load" or "attach" (or "map" for the selection map)
     * @param error the failed call
     * @param verifierLog what the verifier wrote, trimmed
     */
    public record TrialFailure(String step, SmcNativeException error, String verifierLog) {
    }

    private static final Kernel REAL = new Kernel() {
        @Override
        public TrialFailure trialLoad(int btfId) {
            try (SmcUpgrade.Loaded l = SmcUpgrade.load(btfId)) {
                int link;
                try {
                    link = Bpf.linkCreate(l.progFd(), Bpf.ATTACH_MODIFY_RETURN);
                } catch (SmcNativeException e) {
                    return new TrialFailure("attach", e, "");
                }
                Bpf.close(link);
                return null;
            } catch (SmcUpgrade.LoadException e) {
                return new TrialFailure(e.step(), e.error(), e.verifierLog());
            }
        }

        @Override
        public SmcNativeException ipprotoSmcSocket() {
            try {
                LibC.close(LibC.socket("socket(AF_INET, SOCK_STREAM, IPPROTO_SMC)", LibC.AF_INET,
                        LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, LibC.IPPROTO_SMC));
                return null;
            } catch (SmcNativeException e) {
                return e;
            }
        }
    };

    private final Path root;
    private final String arch;
    private final Kernel kernel;

    /**
     * A probe reading files below {@code root} ({@code /} for the real system) and asking
     * {@code kernel} the rest.
     */
    public TransparentProbe(Path root, String arch, Kernel kernel) {
        this.root = root;
        this.arch = arch;
        this.kernel = kernel;
    }

    /** Probes this system. */
    public static TransparentCapabilities probe() {
        return new TransparentProbe(Path.of("/"), System.getProperty("os.arch"), REAL).run();
    }

    /** Runs every step that can run. */
    public TransparentCapabilities run() {
        String release = read("proc/sys/kernel/osrelease").map(String::strip).orElse("unknown");
        List<Missing> missing = new ArrayList<>();
        long nr = Bpf.syscallNumber(arch);
        Fact syscall = nr >= 0 ? Fact.yes("bpf(2) is system call " + nr + " on " + arch)
                : Fact.no("no bpf(2) system call number is known for architecture " + arch
                        + " (known: amd64 321, aarch64 and riscv64 280, s390x 351)");
        if (nr < 0) {
            missing.add(Missing.ARCHITECTURE);
        }
        Fact btf;
        Fact hook;
        int btfId = 0;
        Path vmlinux = root.resolve("sys/kernel/btf/vmlinux");
        Btf parsed = null;
        try {
            parsed = Btf.parse(Files.readAllBytes(vmlinux));
            btf = Fact.yes("/sys/kernel/btf/vmlinux: " + parsed.typeCount() + " types, " + parsed.order());
        } catch (NoSuchFileException e) {
            btf = Fact.no("the kernel has no BTF: /sys/kernel/btf/vmlinux does not exist (CONFIG_DEBUG_INFO_BTF"
                    + config(release, "CONFIG_DEBUG_INFO_BTF").map(c -> ": " + c).orElse(" is needed") + ")");
        } catch (IOException | IllegalArgumentException e) {
            btf = Fact.no("kernel BTF unreadable: /sys/kernel/btf/vmlinux: " + e.getMessage());
        }
        if (!btf.isYes()) {
            missing.add(Missing.BTF);
            hook = Fact.unknown("not looked for: no kernel BTF");
        } else {
            Optional<Btf.Function> f = parsed.function(HOOK);
            if (f.isEmpty()) {
                hook = Fact.no("kernel " + release + " has no " + HOOK + "() in its BTF: the hook exists from Linux 6.6");
                missing.add(Missing.HOOK);
            } else if (!f.get().signature().equals("int " + HOOK + "(int family, int type, int protocol)")) {
                hook = Fact.no("BTF FUNC " + HOOK + " [" + f.get().id() + "] has an unexpected signature: "
                        + f.get().signature());
                missing.add(Missing.HOOK);
            } else {
                btfId = f.get().id();
                hook = Fact.yes("BTF FUNC " + HOOK + " [" + btfId + "]: " + f.get().signature());
            }
        }
        Fact privileges = privileges();
        Fact trial;
        if (btfId > 0 && nr >= 0) {
            TrialFailure failure = kernel.trialLoad(btfId);
            if (failure == null) {
                trial = Fact.yes("the verifier took the program as fmod_ret on " + HOOK + " [" + btfId
                        + "] and it attached (empty selection), then detached");
            } else {
                Missing why = classify(failure);
                missing.add(why);
                trial = Fact.no(explain(failure, why, release, privileges.isYes()));
            }
        } else {
            trial = Fact.unknown("not tried: " + (nr < 0 ? "no bpf(2) here" : "the hook was not found"));
        }
        if (!privileges.isYes() && !missing.contains(Missing.PRIVILEGE) && !trial.isYes()) {
            missing.add(Missing.PRIVILEGE);
        }
        SmcNativeException smcError = kernel.ipprotoSmcSocket();
        Fact smc;
        if (smcError == null) {
            smc = Fact.yes("socket(AF_INET, SOCK_STREAM, IPPROTO_SMC) succeeded");
        } else {
            smc = Fact.no(smcError.getMessage() + ": no SMC sockets in this kernel (IPPROTO_SMC needs Linux 6.11+ and "
                    + "the smc module); a selected process would fail to create TCP sockets, so nothing is selected");
            missing.add(Missing.SMC);
        }
        return new TransparentCapabilities(release, arch, syscall, btf, hook, privileges, trial, smc, btfId,
                missing.stream().distinct().toList());
    }

    /** Which piece a failed trial says is missing. */
    static Missing classify(TrialFailure f) {
        int errno = f.error().errno();
        if (errno == Errno.EPERM || errno == Errno.EACCES) {
            return Missing.PRIVILEGE;
        }
        if (f.verifierLog().contains("is not modifiable")) {
            return Missing.FMOD_RET;
        }
        if (errno == Bpf.ENOTSUPP || errno == Errno.EOPNOTSUPP) {
            return Missing.JIT;
        }
        return Missing.LOAD;
    }

    private String explain(TrialFailure f, Missing why, String release, boolean capsPresent) {
        String call = f.error().getMessage();
        String log = f.verifierLog().isBlank() ? "" : "; verifier log: " + tail(f.verifierLog());
        return switch (why) {
            case PRIVILEGE -> call + (capsPresent
                    ? ": the kernel refused the program although this process has the capabilities, so a policy above "
                            + "them forbids fmod_ret programs here (" + lockdown(release) + ")"
                    : ": the kernel refused the program (needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN, in the initial "
                            + "user namespace; " + lockdown(release) + ")");
            case FMOD_RET -> call + ": fmod_ret is not allowed on " + HOOK + " (the kernel allows it only when MPTCP "
                    + "registers the hook: " + config(release, "CONFIG_MPTCP").orElse("CONFIG_MPTCP=y is needed") + ")" + log;
            case JIT -> call + " at " + f.step() + ": no BPF trampoline on this kernel (fmod_ret needs a BPF JIT with "
                    + "trampolines; " + config(release, "CONFIG_BPF_JIT").orElse("CONFIG_BPF_JIT unknown")
                    + read("proc/sys/net/core/bpf_jit_enable").map(v -> ", net.core.bpf_jit_enable=" + v.strip()).orElse("")
                    + "; Debian's s390x kernel has no BPF JIT)" + log;
            default -> call + " at " + f.step() + log;
        };
    }

    /** The last lines of a verifier log: the verdict is at its end. */
    static String tail(String log) {
        String[] lines = log.strip().split("\n");
        int from = Math.max(0, lines.length - 4);
        return String.join(" | ", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }

    private Fact privileges() {
        Optional<String> status = read("proc/self/status");
        if (status.isEmpty()) {
            return Fact.unknown("/proc/self/status unreadable: the kernel will decide");
        }
        for (String line : status.get().split("\n")) {
            if (line.startsWith("CapEff:")) {
                long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                boolean bpf = (caps & (1L << 39)) != 0;
                boolean perfmon = (caps & (1L << 38)) != 0;
                boolean sysAdmin = (caps & (1L << 21)) != 0;
                String hex = String.format("CapEff 0x%016x", caps);
                if ((bpf && perfmon) || sysAdmin) {
                    return Fact.yes(hex + " has " + (bpf && perfmon ? "CAP_BPF and CAP_PERFMON" : "CAP_SYS_ADMIN"));
                }
                return Fact.no("needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN) in the initial user namespace; " + hex
                        + " has " + (bpf ? "CAP_BPF but not CAP_PERFMON" : perfmon ? "CAP_PERFMON but not CAP_BPF"
                                : "neither"));
            }
        }
        return Fact.unknown("no CapEff line in /proc/self/status: the kernel will decide");
    }

    /**
     * The kernel lockdown as evidence: the selected mode from securityfs where it is mounted, else
     * what the kernel config forces; lockdown is one known policy above capabilities.
     */
    private String lockdown(String release) {
        Optional<String> selected = read("sys/kernel/security/lockdown").map(String::strip).map(s -> {
            int a = s.indexOf('[');
            int b = s.indexOf(']');
            return a >= 0 && b > a ? s.substring(a + 1, b) : s;
        });
        if (selected.isPresent()) {
            return "kernel lockdown: " + selected.get() + " (/sys/kernel/security/lockdown)";
        }
        for (String mode : new String[] {"CONFIDENTIALITY", "INTEGRITY"}) {
            Optional<String> c = config(release, "CONFIG_LOCK_DOWN_KERNEL_FORCE_" + mode);
            if (c.isPresent() && c.get().startsWith("CONFIG_LOCK_DOWN_KERNEL_FORCE_" + mode + "=y")) {
                return "kernel lockdown forced to " + mode.toLowerCase(java.util.Locale.ROOT) + ": " + c.get();
            }
        }
        return "kernel lockdown state unknown: /sys/kernel/security/lockdown is not readable";
    }

    /** A kernel config line as evidence: from /boot/config-RELEASE or /proc/config.gz. */
    private Optional<String> config(String release, String option) {
        Optional<String> text = read("boot/config-" + release).map(t -> "/boot/config-" + release + "\n" + t);
        if (text.isEmpty()) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(root.resolve("proc/config.gz")))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                text = Optional.of("/proc/config.gz\n" + out.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        String[] lines = text.get().split("\n");
        for (String l : lines) {
            if (l.startsWith(option + "=") || l.equals("# " + option + " is not set")) {
                return Optional.of(l.replace("# ", "") + " in " + lines[0]);
            }
        }
        return Optional.of(option + " is not set in " + lines[0]);
    }

    private Optional<String> read(String relative) {
        try {
            return Optional.of(Files.readString(root.resolve(relative), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
