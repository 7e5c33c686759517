package io.smcvertx.transport.diag;

/**
 * The SMC-R link of a connection ({@code SMC_DIAG_LGRINFO}).
 *
 * @param linkId  link id within the link group
 * @param ibDevice RDMA device name, e.g. "rxe0"
 * @param ibPort  RDMA port (1 or 2)
 * @param gid     local GID as text
 * @param peerGid peer GID as text
 * @param role    0 = client, 1 = server side of the link group
 */
public record SmcrLinkInfo(int linkId, String ibDevice, int ibPort, String gid, String peerGid, int role) {
}
