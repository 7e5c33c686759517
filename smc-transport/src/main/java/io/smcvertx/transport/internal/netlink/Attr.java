package io.smcvertx.transport.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One netlink attribute (TLV). Header and integer values are in the sending kernel's byte order.
 *
 * <pre>
 * struct nlattr (4 bytes), then the value, padded to 4 bytes
 * 0        2        4
 * +--------+--------+--------------------+---------+
 * | len    | type   | value              | padding |
 * | (u16)  | (u16)  | (len - 4 bytes)    | to 4    |
 * +--------+--------+--------------------+---------+
 * type bit 15 = NLA_F_NESTED, bit 14 = NLA_F_NET_BYTEORDER; the rest is the attribute id.
 * </pre>
 *
 * @param type  attribute id with the flag bits removed
 * @param value the value bytes, unpadded
 * @param order the byte order of integer values (and of nested attributes' headers)
 */
public record Attr(int type, byte[] value, ByteOrder order) {

    public static final int NLA_F_NESTED = 0x8000;
    public static final int NLA_F_NET_BYTEORDER = 0x4000;
    public static final int TYPE_MASK = 0x3fff;

    public Attr {
        java.util.Objects.requireNonNull(value, "`value` must not be `null`");
        java.util.Objects.requireNonNull(order, "`order` must not be `null`");
    }

    /** An attribute of this kernel's byte order. */
    public Attr(int type, byte[] value) {
        this(type, value, NlMsg.NATIVE);
    }

    private ByteBuffer buf() {
        return ByteBuffer.wrap(value).order(order);
    }

    /**
     * Integers are read at exactly the width the kernel sent: reading a u32 as u16 happens to work
     * on a little-endian kernel (the low half comes first) and silently gives 0 on a big-endian one
     * (s390x: SMC_NLA_LGR_D_CHID is a u32, although smc.h's comment suggests u16). {@link #uint()}
     * takes whatever width comes.
     */
    private void need(int n) {
        if (value.length != n) {
            throw new IllegalArgumentException("attribute " + type + " has " + value.length + " bytes, read as a "
                    + (8 * n) + "-bit integer");
        }
    }

    public int u8() {
        need(1);
        return value[0] & 0xff;
    }

    public int u16() {
        need(2);
        return Short.toUnsignedInt(buf().getShort(0));
    }

    public int u32() {
        need(4);
        return buf().getInt(0);
    }

    public long u64() {
        need(8);
        return buf().getLong(0);
    }

    /**
     * An unsigned integer of whatever width the kernel sent: NLA_UINT attributes are 4 or 8 bytes
     * depending on the value, and some counters changed width between kernel versions.
     */
    public long uint() {
        return switch (value.length) {
            case 1 -> u8();
            case 2 -> u16();
            case 4 -> Integer.toUnsignedLong(u32());
            case 8 -> u64();
            default -> throw new IllegalArgumentException("attribute " + type + " is not an integer: "
                    + value.length + " bytes");
        };
    }

    /** A NUL-terminated (or NUL-padded) string; trailing blanks kept, trailing NULs dropped. */
    public String string() {
        int end = 0;
        while (end < value.length && value[end] != 0) {
            end++;
        }
        return new String(value, 0, end, StandardCharsets.UTF_8);
    }

    /** The attributes nested in this one. */
    public Attrs nested() {
        return Attrs.parse(value, 0, value.length, order);
    }
}
