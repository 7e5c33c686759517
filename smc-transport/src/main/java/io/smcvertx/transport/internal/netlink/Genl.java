package io.smcvertx.transport.internal.netlink;

import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.internal.ffm.Errno;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Generic netlink: the 4-byte family header and family-id resolution through {@code nlctrl}.
 *
 * <pre>
 * generic netlink message = nlmsghdr (type = family id) + genlmsghdr + attributes
 * 16       17        18           20
 * +--------+---------+------------+---------------------
 * | cmd    | version | reserved   | attributes (TLV)
 * | (u8)   | (u8)    | (u16)      |
 * +--------+---------+------------+---------------------
 * </pre>
 */
public final class Genl {

    public static final int HEADER = 4;
    /** The controller family's fixed id. */
    public static final int GENL_ID_CTRL = 0x10;
    public static final int CTRL_CMD_GETFAMILY = 3;
    public static final int CTRL_ATTR_FAMILY_ID = 1;
    public static final int CTRL_ATTR_FAMILY_NAME = 2;
    public static final int CTRL_ATTR_VERSION = 3;

    private Genl() {
    }

    /** A generic-netlink payload: header plus attributes. */
    public static byte[] payload(int cmd, int version, byte[] attrs) {
        return ByteBuffer.allocate(HEADER + attrs.length).order(NlMsg.NATIVE)
                .put((byte) cmd).put((byte) version).putShort((short) 0).put(attrs).array();
    }

    /** The command byte of a generic-netlink message. */
    public static int cmd(NlMsg m) {
        return m.payload().length > 0 ? m.payload()[0] & 0xff : -1;
    }

    /** The attributes after the generic-netlink header. */
    public static Attrs attrs(NlMsg m) {
        byte[] p = m.payload();
        if (p.length < HEADER) {
            throw new IllegalArgumentException("generic netlink message too short: " + p.length + " bytes");
        }
        return Attrs.parse(p, HEADER, p.length - HEADER, m.order());
    }

    /** The request body of CTRL_CMD_GETFAMILY for {@code name}. */
    public static byte[] getFamilyRequest(String name) {
        return payload(CTRL_CMD_GETFAMILY, 1, new AttrWriter().string(CTRL_ATTR_FAMILY_NAME, name).toByteArray());
    }

    /** The family id in a CTRL_CMD_GETFAMILY reply. */
    public static int familyId(List<NlMsg> reply, String name) throws NetlinkException {
        for (NlMsg m : reply) {
            if (m.type() == GENL_ID_CTRL) {
                var id = attrs(m).find(CTRL_ATTR_FAMILY_ID);
                if (id.isPresent()) {
                    return id.get().u16();
                }
            }
        }
        throw new NetlinkException("resolve generic netlink family " + name, Errno.EBADMSG, null,
                "nlctrl replied without a family id for " + name);
    }

    /**
     * Resolves a family id. A missing family becomes "SMC generic netlink family X not found
     * (is the smc module loaded?)", which is what it nearly always means here.
     */
    public static int resolve(NetlinkSocket socket, String name) throws SmcNativeException {
        String what = "resolve generic netlink family " + name;
        List<NlMsg> reply = socket.request(what, GENL_ID_CTRL, 0, getFamilyRequest(name),
                (errno, extack) -> familyError(name, errno, extack));
        return familyId(reply, name);
    }

    static NetlinkException familyError(String name, int errno, String extack) {
        String hint = errno == Errno.ENOENT
                ? (name.startsWith("SMC")
                        ? "SMC generic netlink family " + name + " not found (is the smc module loaded?)"
                        : "generic netlink family " + name + " not found")
                : null;
        return new NetlinkException("resolve generic netlink family " + name, errno, extack, hint);
    }
}
