package io.smcvertx.transport;

import java.io.IOException;
import java.util.Objects;

/**
 * A system call failed. Keeps what a person needs to act on it: which call, which errno, and
 * its symbolic name, so "socket(AF_SMC): EAFNOSUPPORT (97)" can be told apart from a plain
 * I/O error without parsing messages.
 */
public class SmcNativeException extends IOException {

    private final String syscall;
    private final int errno;
    private final String errnoName;

    public SmcNativeException(String syscall, int errno, String errnoName, String description) {
        super(syscall + " failed: " + errnoName + " (" + errno + ", " + description + ")");
        this.syscall = Objects.requireNonNull(syscall, "`syscall` must not be `null`");
        this.errno = errno;
        this.errnoName = Objects.requireNonNull(errnoName, "`errnoName` must not be `null`");
    }

    /** The call as the user would recognise it, e.g. {@code socket(AF_SMC)}. */
    public String syscall() {
        return syscall;
    }

    /** The positive errno value the kernel returned. */
    public int errno() {
        return errno;
    }

    /** The symbolic errno name, e.g. {@code EAFNOSUPPORT}; {@code E<number>} when unknown. */
    public String errnoName() {
        return errnoName;
    }
}
