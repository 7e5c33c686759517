package io.smcvertx.transport.system;

import java.util.Optional;

/**
 * An SMC-D link group ({@code SMC_NETLINK_GET_LGR_SMCD}).
 *
 * @param id          link group id
 * @param gid         local GID (high 64 bits)
 * @param gidExt      local GID (low 64 bits, virtual ISM)
 * @param peerGid     peer GID (high 64 bits)
 * @param peerGidExt  peer GID (low 64 bits)
 * @param vlanId      VLAN id, 0 if none
 * @param connections connections in the group
 * @param pnetId      PNET ID, if any
 * @param chid        ISM channel id; 0xFFFF is loopback-ISM
 * @param v2          SMCv2 details, when negotiated
 */
public record SmcdLinkGroup(long id, long gid, long gidExt, long peerGid, long peerGidExt, int vlanId, int connections,
                            Optional<String> pnetId, int chid, Optional<SmcLinkGroupV2> v2) {

    /** CHID reserved for loopback-ISM (SMC_LO_RESERVED_CHID). */
    public static final int LOOPBACK_CHID = 0xFFFF;

    /** Whether this group runs over the software loopback-ISM device. */
    public boolean isLoopback() {
        return chid == LOOPBACK_CHID;
    }
}
