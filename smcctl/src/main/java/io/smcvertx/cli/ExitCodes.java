package io.smcvertx.cli;

import io.smcvertx.bpf.TransparentRefusedException;
import io.smcvertx.transport.SmcNativeException;

/** smcctl's exit codes; scripts may rely on them (they are listed in {@code smcctl --help}). */
public final class ExitCodes {

    public static final int OK = 0;
    /** Any failure not listed below. */
    public static final int FAILED = 1;
    /** Bad command line or invalid value (the message names the field). */
    public static final int USAGE = 2;
    /** The kernel has no SMC here (module not loaded, no smc_diag). */
    public static final int SMC_UNAVAILABLE = 3;
    /** The kernel refused a write: CAP_NET_ADMIN is missing. */
    public static final int PERMISSION = 4;
    /** The entry does not exist, or already exists. */
    public static final int NOT_FOUND_OR_EXISTS = 5;
    /** The kernel does not offer this (e.g. SEID off IBM Z, statistics reset). */
    public static final int UNSUPPORTED = 6;
    /** {@code check}: connected, but the connection fell back to TCP. */
    public static final int CHECK_FALLBACK = 10;
    /** {@code check}: the connection could not be made. */
    public static final int CHECK_CONNECT_FAILED = 11;
    /** {@code doctor}: at least one check found a FAIL. */
    public static final int DOCTOR_FAILED = 12;

    static final String HELP = """
            Exit codes: 0 ok, 1 failed, 2 bad usage or invalid value, 3 SMC unavailable in this kernel,
            4 needs CAP_NET_ADMIN (transparent: CAP_BPF + CAP_PERFMON), 5 entry not found or already exists,
            6 not supported by this kernel, 10 check: connection fell back to TCP, 11 check: could not connect,
            12 doctor: a check failed. `smcctl run` exits with CMD's status once CMD ran.""";

    private ExitCodes() {
    }

    /** The exit code for a failure. */
    static int of(Throwable t) {
        if (t instanceof IllegalArgumentException) {
            return USAGE;
        }
        if (t instanceof TransparentRefusedException r) {
            // the most basic missing piece decides: no SMC at all is what an operator fixes first
            if (r.missing().contains(TransparentRefusedException.Missing.SMC)) {
                return SMC_UNAVAILABLE;
            }
            return r.missing().contains(TransparentRefusedException.Missing.PRIVILEGE) ? PERMISSION : UNSUPPORTED;
        }
        if (t instanceof SmcNativeException n) {
            String msg = String.valueOf(n.getMessage());
            if (msg.contains("module loaded") || n.errno() == 97 /* EAFNOSUPPORT */) {
                return SMC_UNAVAILABLE;
            }
            return switch (n.errno()) {
                case 1, 13 -> PERMISSION;
                case 2, 17 -> NOT_FOUND_OR_EXISTS;
                case 95 -> UNSUPPORTED;
                default -> FAILED;
            };
        }
        if (t.getCause() != null && t.getCause() != t) {
            return of(t.getCause());
        }
        return FAILED;
    }
}
