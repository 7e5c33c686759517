package io.smcvertx.transport.rdma;

/**
 * The type of one GID table entry, as {@code ports/N/gid_attrs/types/I} names it. SMC-Rv1 needs
 * a RoCE v1 GID (layer 2, same subnet); SMC-Rv2 needs a RoCE v2 GID (routable UDP/IP).
 */
public enum GidType {
    /** InfiniBand (an IB link layer, which SMC-R does not use). */
    IB,
    /** RoCE v1: Ethernet frames with the RoCE ethertype; what SMC-Rv1 uses. */
    ROCE_V1,
    /** RoCE v2: RDMA over UDP/IP; what SMC-Rv2 uses. */
    ROCE_V2,
    /** A type this code does not know. */
    UNKNOWN;

    /**
     * Maps the sysfs text. The kernel writes "IB/RoCE v1" for both IB and RoCE v1 GIDs; the port's
     * link layer tells them apart.
     */
    public static GidType fromSysfs(String text, boolean ethernet) {
        String t = text.strip();
        if (t.equals("RoCE v2")) {
            return ROCE_V2;
        }
        if (t.equals("IB/RoCE v1")) {
            return ethernet ? ROCE_V1 : IB;
        }
        return UNKNOWN;
    }

    /** libibverbs' {@code enum ibv_gid_type}: 0 IB, 1 RoCE v1, 2 RoCE v2. */
    public static GidType fromVerbs(int value, boolean ethernet) {
        return switch (value) {
            case 0 -> ethernet ? ROCE_V1 : IB;
            case 1 -> ROCE_V1;
            case 2 -> ROCE_V2;
            default -> UNKNOWN;
        };
    }
}
