package io.smcvertx.transport.system;

/**
 * One link of an SMC-R link group ({@code SMC_NETLINK_GET_LINK_SMCR}).
 *
 * @param id            link id
 * @param ibDevice      RDMA device
 * @param ibPort        RDMA port
 * @param gid           local GID
 * @param peerGid       peer GID
 * @param connections   connections on the link
 * @param netdevIfindex ifindex of the network interface
 * @param uid           link uid (hex in smcr output)
 * @param peerUid       peer link uid
 * @param state         link state (kernel enum smc_link_state)
 */
public record SmcrLink(int id, String ibDevice, int ibPort, String gid, String peerGid, int connections,
                       int netdevIfindex, int uid, int peerUid, int state) {
}
