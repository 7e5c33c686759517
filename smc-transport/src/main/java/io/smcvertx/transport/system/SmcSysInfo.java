package io.smcvertx.transport.system;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@code SMC_NETLINK_GET_SYS_INFO} reports: the SMC version the kernel speaks and its
 * v2 capabilities.
 *
 * @param version     SMC protocol version (2 on current kernels)
 * @param release     SMC release within the version
 * @param ismV2       whether SMC-Dv2 (ISMv2 or loopback-ISM) is usable
 * @param smcrV2      whether SMC-Rv2 is usable
 * @param hostName    the local host name the kernel puts into CLC messages
 * @param seid        the system EID, empty off IBM Z
 */
public record SmcSysInfo(int version, int release, boolean ismV2, boolean smcrV2, String hostName,
                         Optional<String> seid) {
    public SmcSysInfo {
        Objects.requireNonNull(hostName, "`hostName` must not be `null`");
        Objects.requireNonNull(seid, "`seid` must not be `null`");
    }
}
