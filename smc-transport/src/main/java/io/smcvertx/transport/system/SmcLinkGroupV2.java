package io.smcvertx.transport.system;

/**
 * The SMCv2 part of a link group ({@code SMC_NLA_LGR_V2_*}).
 *
 * @param version        negotiated SMC version
 * @param release        negotiated release
 * @param peerOs         peer OS (1 z/OS, 2 Linux, 3 AIX)
 * @param negotiatedEid  the EID both peers agreed on (a UEID or the SEID)
 * @param peerHost       the peer's host name
 */
public record SmcLinkGroupV2(int version, int release, int peerOs, String negotiatedEid, String peerHost) {
}
