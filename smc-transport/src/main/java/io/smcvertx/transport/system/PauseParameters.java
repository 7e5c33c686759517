package io.smcvertx.transport.system;

import java.util.Objects;

/**
 * A network interface's Ethernet pause (flow control) settings, as ethtool's generic netlink
 * family reports them ({@code ETHTOOL_MSG_PAUSE_GET}; what {@code ethtool -a} prints). RoCE
 * needs them on: IBM's SMC setup guide asks for RX and TX on.
 *
 * @param ifname  the interface
 * @param autoneg whether pause is autonegotiated
 * @param rx      whether received pause frames are honoured
 * @param tx      whether pause frames are sent
 */
public record PauseParameters(String ifname, boolean autoneg, boolean rx, boolean tx) {

    public PauseParameters {
        Objects.requireNonNull(ifname, "`ifname` must not be `null`");
    }

    /** Both directions on, as RoCE wants. */
    public boolean on() {
        return rx && tx;
    }

    @Override
    public String toString() {
        return ifname + ": autonegotiate " + (autoneg ? "on" : "off") + ", RX " + (rx ? "on" : "off") + ", TX "
                + (tx ? "on" : "off");
    }
}
