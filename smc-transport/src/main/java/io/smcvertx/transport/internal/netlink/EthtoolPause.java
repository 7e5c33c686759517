package io.smcvertx.transport.internal.netlink;

import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.system.PauseParameters;
import java.time.Duration;
import java.util.List;

/**
 * {@code ETHTOOL_MSG_PAUSE_GET} over the {@code ethtool} generic-netlink family, instead of
 * running ethtool. The request names the device in a nested header:
 *
 * <pre>
 * genl hdr (cmd 21 PAUSE_GET, version 1)
 * +-- ETHTOOL_A_PAUSE_HEADER (1, nested)
 * |     +-- ETHTOOL_A_HEADER_DEV_NAME (2, string)
 * reply (cmd 22 PAUSE_GET_REPLY): HEADER (1), AUTONEG (2, u8), RX (3, u8), TX (4, u8)
 * </pre>
 *
 * Drivers without pause support (virtio_net, loopback) answer EOPNOTSUPP.
 */
public final class EthtoolPause {

    public static final String FAMILY = "ethtool";
    static final int MSG_PAUSE_GET = 21;
    static final int MSG_PAUSE_SET = 22;
    static final int A_PAUSE_HEADER = 1;
    static final int A_PAUSE_AUTONEG = 2;
    static final int A_PAUSE_RX = 3;
    static final int A_PAUSE_TX = 4;
    static final int A_HEADER_DEV_NAME = 2;

    private EthtoolPause() {
    }

    /** The pause settings of {@code ifname}; a {@link NetlinkException} carries the kernel's errno. */
    public static PauseParameters get(String ifname, Duration timeout) throws SmcNativeException {
        String what = "ethtool pause get " + ifname;
        try (NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_GENERIC, timeout)) {
            int id = Genl.resolve(s, FAMILY);
            List<NlMsg> reply = s.request(what, id, 0, Genl.payload(MSG_PAUSE_GET, 1, request(ifname)),
                    (errno, extack) -> new NetlinkException(what, errno, extack, null));
            return decode(ifname, reply);
        }
    }

    static byte[] request(String ifname) {
        return new AttrWriter().beginNest(A_PAUSE_HEADER).string(A_HEADER_DEV_NAME, ifname).endNest().toByteArray();
    }

    /** The first reply message's flags; a reply without RX/TX is malformed. */
    public static PauseParameters decode(String ifname, List<NlMsg> reply) {
        for (NlMsg m : reply) {
            Attrs a = Genl.attrs(m);
            if (a.find(A_PAUSE_RX).isPresent() && a.find(A_PAUSE_TX).isPresent()) {
                return new PauseParameters(ifname, a.u8(A_PAUSE_AUTONEG, 0) != 0, a.u8(A_PAUSE_RX, 0) != 0,
                        a.u8(A_PAUSE_TX, 0) != 0);
            }
        }
        throw new IllegalArgumentException("ETHTOOL_MSG_PAUSE_GET reply for " + ifname + " without RX/TX attributes");
    }
}
