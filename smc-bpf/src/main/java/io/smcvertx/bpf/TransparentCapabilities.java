package io.smcvertx.bpf;

import io.smcvertx.bpf.TransparentRefusedException.Missing;
import io.smcvertx.transport.SmcCapabilities.Fact;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What this kernel and process offer for transparent SMC, each finding with its evidence, as
 * {@link TransparentProbe} found it.
 *
 * @param kernelRelease {@code uname -r}
 * @param architecture  Java's {@code os.arch}
 * @param syscall       whether bpf(2) has a known system call number here
 * @param btf           whether kernel BTF is readable ({@code /sys/kernel/btf/vmlinux})
 * @param hook          whether BTF has {@code int update_socket_protocol(int, int, int)} (Linux 6.6+)
 * @param privileges    whether this process has CAP_BPF + CAP_PERFMON or CAP_SYS_ADMIN (as /proc says)
 * @param trialLoad     whether the kernel took the program as fmod_ret on the hook and attached it (with an
 *                      empty selection, so nothing changed), or why not
 * @param ipprotoSmc    whether {@code socket(AF_INET, SOCK_STREAM, IPPROTO_SMC)} works (Linux 6.11+ with SMC)
 * @param btfFunctionId the hook's BTF type id, 0 when not found
 * @param missing       what is missing, in the order above; empty when usable
 */
public record TransparentCapabilities(String kernelRelease, String architecture, Fact syscall, Fact btf, Fact hook,
        Fact privileges, Fact trialLoad, Fact ipprotoSmc, int btfFunctionId, List<Missing> missing) {

    public TransparentCapabilities {
        Objects.requireNonNull(kernelRelease, "`kernelRelease` must not be `null`");
        Objects.requireNonNull(architecture, "`architecture` must not be `null`");
        for (Fact f : new Fact[] {syscall, btf, hook, privileges, trialLoad, ipprotoSmc}) {
            Objects.requireNonNull(f, "facts must not be `null`");
        }
        missing = List.copyOf(missing);
    }

    /** Whether the upgrade can be attached here. */
    public boolean usable() {
        return missing.isEmpty();
    }

    /** The facts by name, in probe order. */
    public Map<String, Fact> facts() {
        Map<String, Fact> m = new LinkedHashMap<>();
        m.put("bpf(2)", syscall);
        m.put("kernel BTF", btf);
        m.put("hook", hook);
        m.put("privileges", privileges);
        m.put("trial load", trialLoad);
        m.put("IPPROTO_SMC", ipprotoSmc);
        return m;
    }

    /**
     * Why not, when not usable: "transparent SMC refused on kernel X: " and the evidence of every
     * fact that is not YES.
     */
    public Optional<String> refusal() {
        if (usable()) {
            return Optional.empty();
        }
        List<String> why = new ArrayList<>();
        facts().forEach((name, f) -> {
            if (!f.isYes()) {
                why.add(f.evidence());
            }
        });
        return Optional.of("transparent SMC refused on kernel " + kernelRelease + " (" + architecture + "): "
                + String.join("; ", why));
    }

    /** The refusal as an exception, nothing attached. */
    public TransparentRefusedException refusedException() {
        return new TransparentRefusedException(missing, refusal().orElse("transparent SMC is usable"));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TransparentCapabilities[kernel " + kernelRelease + ", " + architecture);
        facts().forEach((n, f) -> sb.append(", ").append(n).append(' ').append(f));
        return sb.append(']').toString();
    }
}
