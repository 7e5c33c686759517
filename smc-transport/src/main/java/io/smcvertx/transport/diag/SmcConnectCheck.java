package io.smcvertx.transport.diag;

import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.internal.ffm.LibC;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Connects to a server over {@code AF_SMC} and reports what the kernel made of the
 * connection, as {@code smc_chk} does: SMC-D, SMC-R, or TCP fallback with the reasons.
 */
public final class SmcConnectCheck {

    private SmcConnectCheck() {
    }

    /**
     * Opens one AF_SMC connection to {@code target}, reads its smc_diag entry while it is
     * open, and closes it. No data is sent.
     *
     * @param timeout bound on the connect and on the dump
     * @return the client end as smc_diag reports it
     * @throws IOException if the connection fails (refused, timed out) or smc_diag is unavailable
     */
    public static SmcSocketInfo check(InetSocketAddress target, Duration timeout) throws IOException {
        Objects.requireNonNull(target, "`target` must not be `null`");
        Objects.requireNonNull(timeout, "`timeout` must not be `null`");
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("`target` " + target + " could not be resolved");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("`timeout` must be greater than zero");
        }
        boolean v6 = target.getAddress() instanceof Inet6Address;
        int fd = LibC.socket(v6 ? "socket(AF_SMC, SMCPROTO_SMC6)" : "socket(AF_SMC, SMCPROTO_SMC)",
                LibC.AF_SMC, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, v6 ? LibC.SMCPROTO_SMC6 : LibC.SMCPROTO_SMC);
        try {
            LibC.setTimeoutOption("setsockopt(SO_SNDTIMEO)", fd, LibC.SO_SNDTIMEO, timeout.toMillis());
            LibC.connectInet("connect(" + target + ")", fd, target);
            long inode = LibC.inode(fd);
            try (SmcDiag diag = SmcDiag.open(Duration.ZERO, timeout)) {
                for (SmcSocketInfo s : diag.dump()) {
                    if (s.inode() == inode) {
                        return s;
                    }
                }
            }
            throw new SmcNativeException("smc_diag lookup of inode " + inode, 2, "ENOENT",
                    "the connected AF_SMC socket is not in the smc_diag dump");
        } finally {
            LibC.closeQuietly(fd);
        }
    }
}
