package io.smcvertx.transport.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A parsed run of attributes, in wire order (repeated ids kept, as dumps use them for lists). */
public record Attrs(List<Attr> list) {

    public Attrs {
        list = List.copyOf(list);
    }

    /** {@link #parse(byte[], int, int, ByteOrder)} for attributes of this kernel. */
    public static Attrs parse(byte[] data, int offset, int length) {
        return parse(data, offset, length, NlMsg.NATIVE);
    }

    /**
     * Parses {@code length} bytes at {@code offset}. A length field that points outside the run
     * means a malformed message and fails instead of reading neighbouring data.
     */
    public static Attrs parse(byte[] data, int offset, int length, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(data).order(order);
        List<Attr> out = new ArrayList<>();
        int off = offset;
        int end = offset + length;
        while (off + 4 <= end) {
            int len = Short.toUnsignedInt(b.getShort(off));
            int type = Short.toUnsignedInt(b.getShort(off + 2)) & Attr.TYPE_MASK;
            if (len < 4 || off + len > end) {
                throw new IllegalArgumentException("malformed netlink attribute at offset " + off + ": length " + len
                        + ", " + (end - off) + " bytes left");
            }
            byte[] value = new byte[len - 4];
            System.arraycopy(data, off + 4, value, 0, value.length);
            out.add(new Attr(type, value, order));
            off += NlMsg.align(len);
        }
        return new Attrs(out);
    }

    public Optional<Attr> find(int type) {
        for (Attr a : list) {
            if (a.type() == type) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public List<Attr> all(int type) {
        return list.stream().filter(a -> a.type() == type).toList();
    }

    public Optional<String> string(int type) {
        return find(type).map(Attr::string);
    }

    public String string(int type, String absent) {
        return string(type).orElse(absent);
    }

    public int u8(int type, int absent) {
        return find(type).map(Attr::u8).orElse(absent);
    }

    public int u16(int type, int absent) {
        return find(type).map(Attr::u16).orElse(absent);
    }

    public int u32(int type, int absent) {
        return find(type).map(Attr::u32).orElse(absent);
    }

    public long uint(int type, long absent) {
        return find(type).map(Attr::uint).orElse(absent);
    }

    public Attrs nested(int type) {
        return find(type).map(Attr::nested).orElse(new Attrs(List.of()));
    }
}
