package io.smcvertx.transport.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One netlink message: header fields plus payload. Netlink is in the byte order of the kernel
 * that sent it (host order): little-endian on x86, big-endian on s390x. A message read from this
 * kernel carries {@link #NATIVE}; one captured from another architecture carries that
 * architecture's order, and everything parsed from it ({@link Attrs}, {@link Status}) follows.
 *
 * <pre>
 * struct nlmsghdr (16 bytes), then the payload, padded to 4 bytes
 * 0               4       6       8               12              16
 * +---------------+-------+-------+---------------+---------------+---------
 * | len (u32)     | type  | flags | seq (u32)     | pid (u32)     | payload
 * | incl. header  | (u16) | (u16) |               | sender port   |
 * +---------------+-------+-------+---------------+---------------+---------
 * </pre>
 *
 * @param type    message type (a generic-netlink family id, or NLMSG_ERROR/DONE)
 * @param flags   NLM_F_* flags
 * @param seq     sequence number, echoed by the kernel
 * @param pid     port id of the sender (0 = kernel)
 * @param payload the bytes after the header, without padding
 * @param order   the byte order of the header, and of the payload's host-order fields
 */
public record NlMsg(int type, int flags, int seq, int pid, byte[] payload, ByteOrder order) {

    public static final int HEADER = 16;
    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_DUMP = 0x300;
    /** On NLMSG_ERROR: the echoed request was cut to its header. */
    public static final int NLM_F_CAPPED = 0x100;
    /** On NLMSG_ERROR: extended-ack attributes follow. */
    public static final int NLM_F_ACK_TLVS = 0x200;

    /** The byte order of this kernel's netlink messages. */
    public static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    public NlMsg {
        java.util.Objects.requireNonNull(payload, "`payload` must not be `null`");
        java.util.Objects.requireNonNull(order, "`order` must not be `null`");
    }

    /** A message of (or for) this kernel. */
    public NlMsg(int type, int flags, int seq, int pid, byte[] payload) {
        this(type, flags, seq, pid, payload, NATIVE);
    }

    public static int align(int n) {
        return (n + 3) & ~3;
    }

    /** The datagram for this message. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(align(HEADER + payload.length)).order(order);
        b.putInt(HEADER + payload.length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(pid);
        b.put(payload);
        return b.array();
    }

    /** {@link #decodeAll(byte[], ByteOrder)} for a datagram of this kernel. */
    public static List<NlMsg> decodeAll(byte[] datagram) {
        return decodeAll(datagram, NATIVE);
    }

    /**
     * Splits one received datagram into its messages. A length field that does not fit the
     * datagram is a protocol error, reported rather than guessed around (so is a datagram read
     * in the wrong byte order: its first length comes out as garbage).
     */
    public static List<NlMsg> decodeAll(byte[] datagram, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(datagram).order(order);
        List<NlMsg> out = new ArrayList<>();
        int off = 0;
        while (off + HEADER <= datagram.length) {
            int len = b.getInt(off);
            if (len < HEADER || off + len > datagram.length) {
                throw new IllegalArgumentException("malformed netlink message at offset " + off + ": length " + len
                        + " in a datagram of " + datagram.length + " bytes");
            }
            int type = Short.toUnsignedInt(b.getShort(off + 4));
            int flags = Short.toUnsignedInt(b.getShort(off + 6));
            byte[] payload = new byte[len - HEADER];
            System.arraycopy(datagram, off + HEADER, payload, 0, payload.length);
            out.add(new NlMsg(type, flags, b.getInt(off + 8), b.getInt(off + 12), payload, order));
            off += align(len);
        }
        return out;
    }

    /**
     * The error code and extended-ack attributes of an NLMSG_ERROR message (or the status of
     * NLMSG_DONE). 0 is an acknowledgement.
     *
     * <pre>
     * NLMSG_ERROR payload
     * 0              4                    20 (or 4 + the echoed request's length)
     * +--------------+--------------------+--------------------------------------+
     * | error (s32)  | echoed nlmsghdr    | extack TLVs (if NLM_F_ACK_TLVS):      |
     * | -errno or 0  | (+ its payload     |  MSG 1 (string), OFFS 2 (u32),        |
     * |              |  unless CAPPED)    |  COOKIE 3, POLICY 4, MISS_TYPE 5 ...  |
     * +--------------+--------------------+--------------------------------------+
     * </pre>
     */
    public record Status(int error, String extackMessage, int extackOffset) {

        public static final int NLMSGERR_ATTR_MSG = 1;
        public static final int NLMSGERR_ATTR_OFFS = 2;

        public static Status of(NlMsg msg) {
            byte[] p = msg.payload();
            if (p.length < 4) {
                return new Status(0, null, -1);
            }
            ByteBuffer b = ByteBuffer.wrap(p).order(msg.order());
            int error = b.getInt(0);
            if (msg.type() != NLMSG_ERROR || (msg.flags() & NLM_F_ACK_TLVS) == 0 || p.length < 4 + HEADER) {
                return new Status(error, null, -1);
            }
            int echoed = (msg.flags() & NLM_F_CAPPED) != 0 ? HEADER : align(b.getInt(4));
            int tlvStart = 4 + echoed;
            if (tlvStart > p.length) {
                return new Status(error, null, -1);
            }
            Attrs attrs = Attrs.parse(p, tlvStart, p.length - tlvStart, msg.order());
            String text = attrs.string(NLMSGERR_ATTR_MSG).orElse(null);
            int offset = attrs.find(NLMSGERR_ATTR_OFFS).map(a -> a.u32()).orElse(-1);
            return new Status(error, text, offset);
        }
    }
}
