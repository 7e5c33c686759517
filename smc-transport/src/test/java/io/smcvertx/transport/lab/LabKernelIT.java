package io.smcvertx.transport.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.internal.ffm.LibC;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Proves the JUnit path of the kernel lab: this class runs inside the lab guest (via
 * deploy/lab/guest/run-its.sh) and needs the guest's kernel SMC through the project's own FFM layer.
 * Outside the lab it skips, naming what is missing; inside it ({@code -Dsmcvertx.lab=true}) a
 * missing SMC stack fails it.
 */
class LabKernelIT {

    @Test
    void afSmcSocketIsAnSmcSocketInTheKernel() throws SmcNativeException {
        int fd = openOrSkip(LibC.AF_SMC, LibC.SMCPROTO_SMC, "socket(AF_SMC, SOCK_STREAM, SMCPROTO_SMC)");
        try {
            // SO_DOMAIN is the family the kernel gave the socket (getsockname would show the inner TCP one)
            assertThat(LibC.getsockoptInt("getsockopt(SO_DOMAIN)", fd, LibC.SOL_SOCKET, SO_DOMAIN))
                    .isEqualTo(LibC.AF_SMC);
            assertThat(LibC.isSmcSocket(fd)).as("isSmcSocket(AF_SMC)").isTrue();
        } finally {
            LibC.close(fd);
        }
    }

    @Test
    void ipprotoSmcSocketOpensOnLinux611AndLater() throws SmcNativeException {
        int fd = openOrSkip(LibC.AF_INET, LibC.IPPROTO_SMC, "socket(AF_INET, SOCK_STREAM, IPPROTO_SMC)");
        try {
            assertThat(LibC.getsockoptInt("getsockopt(SO_PROTOCOL)", fd, LibC.SOL_SOCKET, SO_PROTOCOL))
                    .isEqualTo(LibC.IPPROTO_SMC);
            assertThat(LibC.isSmcSocket(fd)).as("isSmcSocket(IPPROTO_SMC)").isTrue();
        } finally {
            LibC.close(fd);
        }
    }

    @Test
    void aTcpSocketIsNotAnSmcSocket() throws SmcNativeException {
        int fd = openOrSkip(LibC.AF_INET, 0, "socket(AF_INET, SOCK_STREAM, 0)");
        try {
            assertThat(LibC.isSmcSocket(fd)).as("isSmcSocket(TCP)").isFalse();
        } finally {
            LibC.close(fd);
        }
    }

    private static final int SO_PROTOCOL = 38;
    private static final int SO_DOMAIN = 39;

    private static int openOrSkip(int domain, int protocol, String what) {
        try {
            return LibC.socket(what, domain, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, protocol);
        } catch (SmcNativeException e) {
            String missing = "needs kernel SMC: " + what + " failed with " + e.getMessage();
            if (Boolean.getBoolean("smcvertx.lab")) {
                Assertions.fail("the lab guest has no working SMC: " + missing);
            }
            Assumptions.abort(missing);
            throw new AssertionError("unreachable");
        }
    }
}
