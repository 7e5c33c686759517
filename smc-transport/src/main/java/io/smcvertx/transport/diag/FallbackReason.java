package io.smcvertx.transport.diag;

import java.util.Map;

/**
 * A CLC decline code (net/smc/smc_clc.h): why a connection fell back to TCP, or what the
 * peer diagnosed. 0 means none. Codes with a positive class are fallbacks both ends survive.
 *
 * @param code the 32-bit code as the kernel reports it
 */
public record FallbackReason(int code) {

    /** No fallback. */
    public static final FallbackReason NONE = new FallbackReason(0);
    /** The peer did not offer SMC in its SYN: a plain TCP peer. */
    public static final FallbackReason PEERNOSMC = new FallbackReason(0x03010000);
    /** The peer sent no UEID and no SEID matched: configure a common UEID. */
    public static final FallbackReason NOUEID = new FallbackReason(0x03030008);
    /** The peer declined; its reason is in the peer diagnosis. */
    public static final FallbackReason PEERDECL = new FallbackReason(0x05000000);

    private static final Map<Integer, String[]> TABLE = Map.ofEntries(
            e(0x01010000, "MEM", "out of memory"),
            e(0x02010000, "TIMEOUT_CL", "timeout waiting for confirm link"),
            e(0x02020000, "TIMEOUT_AL", "timeout waiting for add link"),
            e(0x03000000, "CNFERR", "configuration error"),
            e(0x03010000, "PEERNOSMC", "peer did not indicate SMC"),
            e(0x03020000, "IPSEC", "IPsec in use"),
            e(0x03030000, "NOSMCDEV", "no SMC-R or SMC-D device"),
            e(0x03030001, "NOSMCDDEV", "no SMC-D device"),
            e(0x03030002, "NOSMCRDEV", "no SMC-R device"),
            e(0x03030003, "NOISM2SUPP", "hardware has no ISMv2 support"),
            e(0x03030004, "NOV2EXT", "peer sent no v2 extension"),
            e(0x03030005, "NOV2DEXT", "peer sent no SMC-Dv2 extension"),
            e(0x03030006, "NOSEID", "peer sent no SEID"),
            e(0x03030007, "NOSMCD2DEV", "no SMC-Dv2 device"),
            e(0x03030008, "NOUEID", "peer sent no UEID"),
            e(0x03030009, "RELEASEERR", "release version negotiation failed"),
            e(0x0303000a, "MAXCONNERR", "max connections negotiation failed"),
            e(0x0303000b, "MAXLINKERR", "max links negotiation failed"),
            e(0x03040000, "MODEUNSUPP", "SMC modes (R or D) do not match"),
            e(0x03050000, "RMBE_EC", "peer has eyecatcher in RMBE"),
            e(0x03060000, "OPTUNSUPP", "fastopen sockopt not supported"),
            e(0x03070000, "DIFFPREFIX", "IP prefix/subnet mismatch"),
            e(0x03080000, "GETVLANERR", "could not get VLAN of the IP device"),
            e(0x03090000, "ISMVLANERR", "could not register VLAN on the ISM device"),
            e(0x030a0000, "NOACTLINK", "no active SMC-R link in link group"),
            e(0x030b0000, "NOSRVLINK", "SMC-R link from server not found"),
            e(0x030c0000, "VERSMISMAT", "SMC version mismatch"),
            e(0x030d0000, "MAX_DMB", "SMC-D DMB limit exceeded"),
            e(0x030e0000, "NOROUTE", "SMC-Rv2 has no route to the peer"),
            e(0x030f0000, "NOINDIRECT", "SMC-Rv2 direct/indirect mismatch"),
            e(0x04000000, "SYNCERR", "synchronization error"),
            e(0x05000000, "PEERDECL", "peer declined"),
            e(0x09990000, "INTERR", "internal error"),
            e(0x09990001, "ERR_RTOK", "rtoken handling failed"),
            e(0x09990002, "ERR_RDYLNK", "ready link failed"),
            e(0x09990003, "ERR_REGBUF", "RDMA buffer registration failed"));

    private static Map.Entry<Integer, String[]> e(int code, String name, String description) {
        return Map.entry(code, new String[] {name, description});
    }

    public static FallbackReason of(int code) {
        return code == 0 ? NONE : new FallbackReason(code);
    }

    /** True for 0: no fallback, no diagnosis. */
    public boolean isNone() {
        return code == 0;
    }

    /** Whether this code is in the kernel's table (unknown codes still decode, as "UNKNOWN"). */
    public boolean isKnown() {
        return code == 0 || TABLE.containsKey(code);
    }

    /** The kernel's short name without the {@code SMC_CLC_DECL_} prefix, e.g. "PEERNOSMC"; "NONE" for 0. */
    public String name() {
        if (code == 0) {
            return "NONE";
        }
        String[] row = TABLE.get(code);
        return row != null ? row[0] : "UNKNOWN";
    }

    /** What the code means, in words. */
    public String description() {
        if (code == 0) {
            return "no fallback";
        }
        String[] row = TABLE.get(code);
        return row != null ? row[1] : "decline code not in this table (newer kernel?)";
    }

    /** The code as smcss prints it, e.g. "0x03010000". */
    public String hex() {
        return String.format("0x%08x", code);
    }

    /**
     * What an operator can change to get SMC next time, or empty when nothing on this host
     * helps (e.g. the peer is plain TCP by design).
     */
    public String advice() {
        return switch (code) {
            case 0x03010000 -> "the peer is not SMC-enabled: run it over SMC (AF_SMC/IPPROTO_SMC or smc_run) if it should be";
            case 0x03030008, 0x03030006 -> "add a common UEID on both hosts (smcctl ueid add NAME)";
            case 0x03030000, 0x03030001, 0x03030002, 0x03030007 ->
                    "no usable SMC device: load smc with loopback-ISM (CONFIG_SMC_LO), or set up ISM/RoCE and PNET IDs";
            case 0x03060000 -> "do not set TCP_FASTOPEN on SMC sockets";
            case 0x03070000 -> "SMC v1 needs both peers in the same IP subnet; use v2 or align prefixes";
            case 0x030d0000 -> "too many SMC-D connections for the device's DMBs: close some or raise limits";
            case 0x05000000 -> "see the peer diagnosis for the peer's reason";
            default -> "";
        };
    }

    /** E.g. {@code 0x03010000 PEERNOSMC (peer did not indicate SMC)}. */
    @Override
    public String toString() {
        return hex() + " " + name() + " (" + description() + ")";
    }
}
