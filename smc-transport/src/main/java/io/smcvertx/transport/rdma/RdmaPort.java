package io.smcvertx.transport.rdma;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One port of an RDMA device and what it offers SMC-R.
 *
 * @param device    the RDMA device name, e.g. {@code rxe0}
 * @param port      the port number (1-based)
 * @param state     the port state as sysfs names it ({@code ACTIVE}, {@code DOWN}, ...)
 * @param linkLayer {@code Ethernet} (RoCE) or {@code InfiniBand}
 * @param netdev    the network interface behind the port (from its GID table), if any
 * @param gids      the populated GID table entries
 * @param activeMtu the active RDMA MTU in bytes, from libibverbs' {@code ibv_query_port}; empty without it
 */
public record RdmaPort(String device, int port, String state, String linkLayer, Optional<String> netdev,
        List<RdmaGid> gids, OptionalInt activeMtu) {

    public RdmaPort {
        Objects.requireNonNull(device, "`device` must not be `null`");
        Objects.requireNonNull(state, "`state` must not be `null`");
        Objects.requireNonNull(linkLayer, "`linkLayer` must not be `null`");
        Objects.requireNonNull(netdev, "`netdev` must not be `null`");
        gids = List.copyOf(gids);
        Objects.requireNonNull(activeMtu, "`activeMtu` must not be `null`");
    }

    public boolean active() {
        return state.equals("ACTIVE");
    }

    public boolean ethernet() {
        return linkLayer.equalsIgnoreCase("Ethernet");
    }

    /** SMC-Rv1 needs an active RoCE port with a RoCE v1 GID. */
    public boolean smcRv1() {
        return active() && ethernet() && gids.stream().anyMatch(g -> g.type() == GidType.ROCE_V1);
    }

    /** SMC-Rv2 needs an active RoCE port with a RoCE v2 GID carrying an IPv4 address. */
    public boolean smcRv2() {
        return active() && ethernet() && gids.stream().anyMatch(g -> g.type() == GidType.ROCE_V2 && g.ipv4Mapped());
    }

    /** What this port means for SMC, in one sentence an operator can act on. */
    public String smcMeaning() {
        if (!ethernet()) {
            return "not usable by SMC-R: link layer " + linkLayer + " (SMC-R needs RoCE, an Ethernet link layer)";
        }
        if (!active()) {
            return "not usable now: port state " + state + " (SMC-R needs ACTIVE; is " + netdev.orElse("its interface")
                    + " up with carrier?)";
        }
        if (smcRv1() && smcRv2()) {
            return "SMC-Rv1 and SMC-Rv2 (RoCE v1 and v2 GIDs)";
        }
        if (smcRv2()) {
            return "SMC-Rv2 only: RoCE v2 GIDs and no RoCE v1 GID (peers need SMC-Rv2 and a shared UEID)";
        }
        if (smcRv1()) {
            return "SMC-Rv1 only: no RoCE v2 GID with an IPv4 address (peers must share the subnet and a PNET ID)";
        }
        return "no GID SMC-R can use: no RoCE v1 GID and no RoCE v2 GID with an IPv4 address (is an IPv4 address set on "
                + netdev.orElse("the interface") + "?)";
    }
}
