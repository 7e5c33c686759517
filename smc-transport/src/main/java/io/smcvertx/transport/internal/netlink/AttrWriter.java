package io.smcvertx.transport.internal.netlink;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Builds a run of attributes (layout drawn on {@link Attr}); nests are opened and closed like
 * brackets and their length is patched in when they close.
 */
public final class AttrWriter {

    private byte[] buf = new byte[64];
    private int size;
    private final Deque<Integer> open = new ArrayDeque<>();

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }

    private ByteBuffer view() {
        return ByteBuffer.wrap(buf).order(NlMsg.NATIVE);
    }

    private void header(int len, int type) {
        ensure(4);
        view().putShort(size, (short) len).putShort(size + 2, (short) type);
        size += 4;
    }

    private void pad() {
        int aligned = NlMsg.align(size);
        ensure(aligned - size);
        size = aligned;
    }

    public AttrWriter bytes(int type, byte[] value) {
        if (value.length + 4 > 0xffff) {
            throw new IllegalArgumentException("attribute " + type + " too long: " + value.length + " bytes");
        }
        header(4 + value.length, type);
        ensure(value.length);
        System.arraycopy(value, 0, buf, size, value.length);
        size += value.length;
        pad();
        return this;
    }

    public AttrWriter u8(int type, int value) {
        return bytes(type, new byte[] {(byte) value});
    }

    public AttrWriter u16(int type, int value) {
        return bytes(type, ByteBuffer.allocate(2).order(NlMsg.NATIVE).putShort((short) value).array());
    }

    public AttrWriter u32(int type, int value) {
        return bytes(type, ByteBuffer.allocate(4).order(NlMsg.NATIVE).putInt(value).array());
    }

    public AttrWriter u64(int type, long value) {
        return bytes(type, ByteBuffer.allocate(8).order(NlMsg.NATIVE).putLong(value).array());
    }

    /** A NUL-terminated string (NLA_NUL_STRING, and accepted where NLA_STRING is expected). */
    public AttrWriter string(int type, String value) {
        byte[] s = value.getBytes(StandardCharsets.UTF_8);
        byte[] z = java.util.Arrays.copyOf(s, s.length + 1);
        return bytes(type, z);
    }

    public AttrWriter beginNest(int type) {
        open.push(size);
        header(4, type | Attr.NLA_F_NESTED);
        return this;
    }

    public AttrWriter endNest() {
        if (open.isEmpty()) {
            throw new IllegalStateException("endNest() without beginNest()");
        }
        int start = open.pop();
        view().putShort(start, (short) (size - start));
        return this;
    }

    public byte[] toByteArray() {
        if (!open.isEmpty()) {
            throw new IllegalStateException(open.size() + " nest(s) still open");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write(buf, 0, size);
        return out.toByteArray();
    }
}
