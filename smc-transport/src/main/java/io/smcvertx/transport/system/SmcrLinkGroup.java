package io.smcvertx.transport.system;

import java.util.List;
import java.util.Optional;

/**
 * An SMC-R link group with its links ({@code SMC_NETLINK_GET_LGR_SMCR} and {@code GET_LINK_SMCR}).
 *
 * @param id          link group id
 * @param role        "SERV" or "CLNT"
 * @param type        link group type as the kernel numbers it (0 NONE, 1 SINGLE, 2 SYM, ...)
 * @param pnetId      PNET ID, if any
 * @param vlanId      VLAN id
 * @param connections connections in the group
 * @param v2          SMCv2 details, when negotiated
 * @param links       the group's links (filled from the link dump)
 */
public record SmcrLinkGroup(long id, String role, int type, Optional<String> pnetId, int vlanId, int connections,
                           Optional<SmcLinkGroupV2> v2, List<SmcrLink> links) {
    public SmcrLinkGroup {
        links = List.copyOf(links);
    }
}
