package io.smcvertx.transport.rdma;

import java.util.Objects;
import java.util.Optional;

/**
 * One populated entry of a port's GID table.
 *
 * @param index  the table index
 * @param gid    the GID as the kernel prints it, e.g. {@code 0000:0000:0000:0000:0000:ffff:0a62:0001}
 * @param type   RoCE v1, RoCE v2 or IB
 * @param netdev the network interface the entry belongs to, when the kernel names one
 */
public record RdmaGid(int index, String gid, GidType type, Optional<String> netdev) {

    public RdmaGid {
        Objects.requireNonNull(gid, "`gid` must not be `null`");
        Objects.requireNonNull(type, "`type` must not be `null`");
        Objects.requireNonNull(netdev, "`netdev` must not be `null`");
    }

    /** Whether the GID carries an IPv4 address (::ffff:a.b.c.d), which SMC-Rv2 routes by. */
    public boolean ipv4Mapped() {
        return gid.replace(":", "").toLowerCase(java.util.Locale.ROOT).startsWith("00000000000000000000ffff");
    }
}
