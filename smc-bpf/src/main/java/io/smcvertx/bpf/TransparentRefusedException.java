package io.smcvertx.bpf;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Transparent SMC cannot be had here, and nothing was attached. The message names the missing
 * piece with its evidence ("no BPF trampoline on this kernel ...", "socket(AF_INET, SOCK_STREAM,
 * IPPROTO_SMC) failed: EPROTONOSUPPORT ..."); {@link #missing()} says which pieces, for callers
 * that act on it (exit codes, status states).
 */
public final class TransparentRefusedException extends IOException {

    /** What can be missing. */
    public enum Missing {
        /** No bpf(2) system call number is known for this architecture. */
        ARCHITECTURE,
        /** No kernel BTF ({@code /sys/kernel/btf/vmlinux}, CONFIG_DEBUG_INFO_BTF). */
        BTF,
        /** No {@code update_socket_protocol} in the kernel (Linux before 6.6). */
        HOOK,
        /** CAP_BPF + CAP_PERFMON (or CAP_SYS_ADMIN), or the kernel's lockdown, forbid it. */
        PRIVILEGE,
        /** fmod_ret is not allowed on the hook: MPTCP registers it, CONFIG_MPTCP is off. */
        FMOD_RET,
        /** No BPF JIT with trampolines (e.g. Debian's s390x kernel). */
        JIT,
        /** The program was refused for another reason (the verifier log says which). */
        LOAD,
        /** No IPPROTO_SMC sockets here (no SMC in the kernel, or before 6.11). */
        SMC,
        /** No cgroup v2 hierarchy to select processes with. */
        CGROUP2
    }

    private final List<Missing> missing;

    public TransparentRefusedException(List<Missing> missing, String message) {
        super(message);
        this.missing = List.copyOf(Objects.requireNonNull(missing, "`missing` must not be `null`"));
    }

    public TransparentRefusedException(Missing missing, String message) {
        this(List.of(missing), message);
    }

    /** The missing pieces, most basic first. */
    public List<Missing> missing() {
        return missing;
    }
}
