package io.smcvertx.transport.diag;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One SMC socket as smc_diag reports it. Addresses and ports are those of the internal TCP
 * ("clc") socket; for a listener the peer is the wildcard address.
 *
 * @param inode          socket inode: {@code fstat} of the descriptor gives the same number
 * @param mode           SMC-D, SMC-R or TCP fallback
 * @param state          SMC socket state as smcss names it (ACTIVE, LISTEN, INIT, ...)
 * @param fallbackReason why this end fell back; {@link FallbackReason#NONE} if it did not
 * @param peerDiagnosis  the reason the peer reported in its decline; NONE if none
 * @param local          local address and port
 * @param peer           peer address and port
 * @param uid            owner uid
 * @param token          connection token, 0 before the connection has one
 * @param sndBufSize     send buffer size in bytes, 0 when the connection has no buffers (fallback, listen)
 * @param rmbeSize       receive buffer (RMBE/DMBE) size in bytes
 * @param peerRmbeSize   peer's receive buffer size in bytes
 * @param smcr           SMC-R link details, present for SMC-R connections
 * @param smcd           SMC-D buffer details, present for SMC-D connections
 */
public record SmcSocketInfo(long inode, ConnectionMode mode, String state, FallbackReason fallbackReason,
                            FallbackReason peerDiagnosis, InetSocketAddress local, InetSocketAddress peer,
                            int uid, int token, int sndBufSize, int rmbeSize, int peerRmbeSize,
                            Optional<SmcrLinkInfo> smcr, Optional<SmcdDmbInfo> smcd) {

    public SmcSocketInfo {
        Objects.requireNonNull(mode, "`mode` must not be `null`");
        Objects.requireNonNull(state, "`state` must not be `null`");
        Objects.requireNonNull(fallbackReason, "`fallbackReason` must not be `null`");
        Objects.requireNonNull(peerDiagnosis, "`peerDiagnosis` must not be `null`");
        Objects.requireNonNull(local, "`local` must not be `null`");
        Objects.requireNonNull(peer, "`peer` must not be `null`");
        Objects.requireNonNull(smcr, "`smcr` must not be `null`");
        Objects.requireNonNull(smcd, "`smcd` must not be `null`");
    }

    /** True when data moves over SMC-D or SMC-R. */
    public boolean isSmc() {
        return mode.isSmc();
    }

    /** True for listening sockets. */
    public boolean isListener() {
        return "LISTEN".equals(state);
    }
}
