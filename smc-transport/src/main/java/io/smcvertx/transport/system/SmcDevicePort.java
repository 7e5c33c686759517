package io.smcvertx.transport.system;

import java.util.Optional;

/**
 * One port of an SMC device ({@code SMC_NLA_DEV_PORT}).
 *
 * @param port          port number, 1 or 2
 * @param pnetId        PNET ID of the port, if any
 * @param pnetIdByUser  true when it came from the software PNET table rather than the hardware
 * @param netdevIfindex ifindex of the matching network interface, 0 if none
 * @param state         port state as the kernel reports it (1 = active for RoCE)
 * @param valid         whether SMC can use the port
 * @param linkCount     SMC-R links on this port
 */
public record SmcDevicePort(int port, Optional<String> pnetId, boolean pnetIdByUser, int netdevIfindex,
                            int state, boolean valid, int linkCount) {
}
