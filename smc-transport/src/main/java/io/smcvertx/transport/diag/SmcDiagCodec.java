package io.smcvertx.transport.diag;

import io.smcvertx.transport.internal.netlink.Attr;
import io.smcvertx.transport.internal.netlink.Attrs;
import io.smcvertx.transport.internal.netlink.NlMsg;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Encodes the smc_diag dump request and decodes its replies (layouts drawn beside each method). */
final class SmcDiagCodec {

    static final int SOCK_DIAG_BY_FAMILY = 20;
    static final int AF_SMC = 43;

    static final int SMC_DIAG_CONNINFO = 1;
    static final int SMC_DIAG_LGRINFO = 2;
    static final int SMC_DIAG_SHUTDOWN = 3;
    static final int SMC_DIAG_DMBINFO = 4;
    static final int SMC_DIAG_FALLBACK = 5;

    static final int MSG_SIZE = 64;

    private static final Map<Integer, String> STATES = Map.ofEntries(
            Map.entry(1, "ACTIVE"), Map.entry(2, "INIT"), Map.entry(7, "CLOSED"), Map.entry(10, "LISTEN"),
            Map.entry(20, "PEERCLOSEWAIT1"), Map.entry(21, "PEERCLOSEWAIT2"), Map.entry(22, "APPCLOSEWAIT1"),
            Map.entry(23, "APPCLOSEWAIT2"), Map.entry(24, "APPFINCLOSEWAIT"), Map.entry(25, "PEERFINCLOSEWAIT"),
            Map.entry(26, "PEERABORTWAIT"), Map.entry(27, "PROCESSABORT"));

    private SmcDiagCodec() {
    }

    /**
     * The dump request (no single-socket get exists; the kernel does not filter).
     *
     * <pre>
     * struct smc_diag_req (52 bytes)
     * 0        1        3          4                                     52
     * +--------+--------+----------+-------------------------------------+
     * | family | pad[2] | diag_ext | struct inet_diag_sockid id (zeros)  |
     * | AF_SMC |        | 1<<(e-1) |                                     |
     * +--------+--------+----------+-------------------------------------+
     * diag_ext asks for CONNINFO, LGRINFO, SHUTDOWN, DMBINFO; FALLBACK always comes.
     * </pre>
     */
    static byte[] request() {
        byte[] req = new byte[52];
        req[0] = (byte) AF_SMC;
        req[3] = (byte) ((1 << (SMC_DIAG_CONNINFO - 1)) | (1 << (SMC_DIAG_LGRINFO - 1))
                | (1 << (SMC_DIAG_SHUTDOWN - 1)) | (1 << (SMC_DIAG_DMBINFO - 1)));
        return req;
    }

    static String state(int s) {
        return STATES.getOrDefault(s, "STATE" + s);
    }

    static List<SmcSocketInfo> decodeAll(List<NlMsg> messages) {
        List<SmcSocketInfo> out = new ArrayList<>(messages.size());
        for (NlMsg m : messages) {
            if (m.type() == SOCK_DIAG_BY_FAMILY) {
                out.add(decode(m.payload(), m.order()));
            }
        }
        return out;
    }

    /** One socket of this kernel. */
    static SmcSocketInfo decode(byte[] p) {
        return decode(p, NlMsg.NATIVE);
    }

    /**
     * One socket. Ports and addresses are in network order (big-endian) on every architecture;
     * uid, inode and the extensions' integers are in the reporting kernel's order ({@code order}).
     *
     * <pre>
     * struct smc_diag_msg (64 bytes), then attributes SMC_DIAG_*
     * 0      1     2    3     4                                             52     56          64
     * +------+-----+----+-----+---------------------------------------------+------+-----------+
     * |family|state|mode|shut-| inet_diag_sockid (ports/addresses big-endian)| uid  | inode     |
     * |      |     |    |down | sport 4, dport 6, src[16] 8, dst[16] 24,    | u32  | u64       |
     * |      |     |    |     | if 40, cookie[2] 44                          |      | (aligned) |
     * +------+-----+----+-----+---------------------------------------------+------+-----------+
     * </pre>
     */
    static SmcSocketInfo decode(byte[] p, ByteOrder order) {
        if (p.length < MSG_SIZE) {
            throw new IllegalArgumentException("smc_diag_msg too short: " + p.length + " bytes, needs " + MSG_SIZE);
        }
        ByteBuffer h = ByteBuffer.wrap(p).order(order);
        ByteBuffer be = ByteBuffer.wrap(p).order(ByteOrder.BIG_ENDIAN);
        int state = p[1] & 0xff;
        ConnectionMode mode = ConnectionMode.of(p[2] & 0xff);
        int sport = Short.toUnsignedInt(be.getShort(4));
        int dport = Short.toUnsignedInt(be.getShort(6));
        boolean v4 = isV4(p, 8) && isV4(p, 24);
        InetSocketAddress local = new InetSocketAddress(address(p, 8, v4), sport);
        InetSocketAddress peer = new InetSocketAddress(address(p, 24, v4), dport);
        int uid = h.getInt(52);
        long inode = h.getLong(56);

        Attrs attrs = Attrs.parse(p, MSG_SIZE, p.length - MSG_SIZE, order);
        FallbackReason reason = FallbackReason.NONE;
        FallbackReason peerDiag = FallbackReason.NONE;
        Optional<Attr> fb = attrs.find(SMC_DIAG_FALLBACK);
        if (fb.isPresent() && fb.get().value().length >= 8) {
            ByteBuffer f = ByteBuffer.wrap(fb.get().value()).order(order);
            reason = FallbackReason.of(f.getInt(0));
            peerDiag = FallbackReason.of(f.getInt(4));
        }
        int token = 0;
        int sndbuf = 0;
        int rmbe = 0;
        int peerRmbe = 0;
        Optional<Attr> ci = attrs.find(SMC_DIAG_CONNINFO);
        if (ci.isPresent() && ci.get().value().length >= 16) {
            ByteBuffer c = ByteBuffer.wrap(ci.get().value()).order(order);
            token = c.getInt(0);
            sndbuf = c.getInt(4);
            rmbe = c.getInt(8);
            peerRmbe = c.getInt(12);
        }
        Optional<SmcrLinkInfo> smcr = attrs.find(SMC_DIAG_LGRINFO).map(a -> lgrInfo(a.value()));
        Optional<SmcdDmbInfo> smcd = attrs.find(SMC_DIAG_DMBINFO).map(a -> dmbInfo(a.value(), order));
        return new SmcSocketInfo(inode, mode, state(state), reason, peerDiag, local, peer, uid,
                token, sndbuf, rmbe, peerRmbe, smcr, smcd);
    }

    /**
     * <pre>
     * struct smc_diag_lgrinfo (147 bytes)
     * 0        1            65       66          106         146    147
     * +--------+------------+--------+-----------+-----------+------+
     * | link_id| ibname[64] | ibport | gid[40]   | peer_gid  | role |
     * +--------+------------+--------+-----------+-----------+------+
     * </pre>
     */
    static SmcrLinkInfo lgrInfo(byte[] v) {
        if (v.length < 146) {
            throw new IllegalArgumentException("smc_diag_lgrinfo too short: " + v.length + " bytes");
        }
        return new SmcrLinkInfo(v[0] & 0xff, cstr(v, 1, 64), v[65] & 0xff, cstr(v, 66, 40), cstr(v, 106, 40),
                v.length > 146 ? v[146] & 0xff : 0);
    }

    /**
     * <pre>
     * struct smcd_diag_dmbinfo (56 bytes; 40 before Linux 6.8)
     * 0        4      8          16       24      32           40             48           56
     * +--------+------+----------+--------+-------+------------+--------------+------------+
     * | linkid | pad  | peer_gid | my_gid | token | peer_token | peer_gid_ext | my_gid_ext |
     * +--------+------+----------+--------+-------+------------+--------------+------------+
     * </pre>
     */
    static SmcdDmbInfo dmbInfo(byte[] v, ByteOrder order) {
        if (v.length < 40) {
            throw new IllegalArgumentException("smcd_diag_dmbinfo too short: " + v.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(v).order(order);
        long peerExt = v.length >= 56 ? b.getLong(40) : 0;
        long myExt = v.length >= 56 ? b.getLong(48) : 0;
        return new SmcdDmbInfo(b.getInt(0), b.getLong(8), peerExt, b.getLong(16), myExt, b.getLong(24), b.getLong(32));
    }

    /** smc_diag keeps AF_SMC as the family: IPv4 is told by bytes 4..15 of the address being zero, as smcss does. */
    private static boolean isV4(byte[] p, int off) {
        for (int i = off + 4; i < off + 16; i++) {
            if (p[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress address(byte[] p, int off, boolean v4) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(p, off, off + (v4 ? 4 : 16)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    private static String cstr(byte[] v, int off, int max) {
        int end = off;
        while (end < off + max && v[end] != 0) {
            end++;
        }
        return new String(v, off, end - off, StandardCharsets.US_ASCII);
    }
}
