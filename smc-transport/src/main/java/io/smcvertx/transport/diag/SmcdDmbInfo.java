package io.smcvertx.transport.diag;

/**
 * The SMC-D buffer (DMB) details of a connection ({@code SMC_DIAG_DMBINFO}). GIDs are 128-bit
 * since virtual ISM (Linux 6.8): the {@code Ext} halves are 0 on older kernels.
 *
 * @param linkId     link id
 * @param peerGid    peer GID, high 64 bits
 * @param peerGidExt peer GID, low 64 bits
 * @param gid        local GID, high 64 bits
 * @param gidExt     local GID, low 64 bits
 * @param token      local DMB token
 * @param peerToken  peer DMB token
 */
public record SmcdDmbInfo(int linkId, long peerGid, long peerGidExt, long gid, long gidExt, long token, long peerToken) {

    /** The local GID as 32 hex digits, as smcss prints it. */
    public String gidHex() {
        return String.format("%016x%016x", gid, gidExt);
    }

    /** The peer GID as 32 hex digits. */
    public String peerGidHex() {
        return String.format("%016x%016x", peerGid, peerGidExt);
    }
}
