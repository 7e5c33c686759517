package io.smcvertx.handlers;

import io.netty.buffer.Unpooled;
import io.smcvertx.handlers.internal.FrameAccess;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable run of bytes: one read, one decoded frame or one reply.
 *
 * <p>Frames own plain heap bytes and never a reference-counted buffer, so a cancelled stream can
 * drop them without leaking. Every factory copies its input and every accessor that hands bytes
 * out either copies them or is a read-only view ({@link #asReadOnlyByteBuffer()},
 * {@link #asReadOnlyBuffer()}); {@link #slice(int, int)} shares the (never mutated) backing
 * array. So the array never leaves this class writable, which is what makes the views safe.
 */
public final class Frame {

    private static final Frame EMPTY = new Frame(new byte[0], 0, 0);

    static {
        // the read bridge's route to a frame without a copy (see FrameAccess: not exported)
        FrameAccess.install((bytes, offset, length) -> length == 0 ? EMPTY : new Frame(bytes, offset, length));
    }

    private final byte[] bytes;
    private final int offset;
    private final int length;

    private Frame(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    /** The zero-length frame. */
    public static Frame empty() {
        return EMPTY;
    }

    /** A frame holding a copy of {@code bytes}. */
    public static Frame of(byte[] bytes) {
        Objects.requireNonNull(bytes, "`bytes` must not be `null`");
        return of(bytes, 0, bytes.length);
    }

    /** A frame holding a copy of {@code length} bytes of {@code bytes} from {@code offset}. */
    public static Frame of(byte[] bytes, int offset, int length) {
        Objects.requireNonNull(bytes, "`bytes` must not be `null`");
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return length == 0 ? EMPTY : new Frame(Arrays.copyOfRange(bytes, offset, offset + length), 0, length);
    }

    /** A frame holding the UTF-8 encoding of {@code text}. */
    public static Frame ofUtf8(String text) {
        Objects.requireNonNull(text, "`text` must not be `null`");
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return b.length == 0 ? EMPTY : new Frame(b, 0, b.length);
    }

    /** A frame holding a copy of the readable bytes of a Vert.x buffer. */
    public static Frame of(Buffer buffer) {
        Objects.requireNonNull(buffer, "`buffer` must not be `null`");
        byte[] b = buffer.getBytes(); // already a fresh array: no second copy
        return b.length == 0 ? EMPTY : new Frame(b, 0, b.length);
    }

    /** A frame holding a copy of the remaining bytes of {@code buffer}; its position is not moved. */
    public static Frame of(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "`buffer` must not be `null`");
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b.length == 0 ? EMPTY : new Frame(b, 0, b.length);
    }

    /** The frame made of {@code first} followed by {@code second}. */
    public static Frame concat(Frame first, Frame second) {
        if (first.length == 0) {
            return second;
        }
        if (second.length == 0) {
            return first;
        }
        byte[] b = new byte[first.length + second.length];
        System.arraycopy(first.bytes, first.offset, b, 0, first.length);
        System.arraycopy(second.bytes, second.offset, b, first.length, second.length);
        return new Frame(b, 0, b.length);
    }

    /** Number of bytes. */
    public int size() {
        return length;
    }

    /** Whether this frame has no bytes. */
    public boolean isEmpty() {
        return length == 0;
    }

    /** The byte at {@code index}. */
    public byte byteAt(int index) {
        Objects.checkIndex(index, length);
        return bytes[offset + index];
    }

    /** The bytes from {@code from} (inclusive) to {@code to} (exclusive), without copying. */
    public Frame slice(int from, int to) {
        Objects.checkFromToIndex(from, to, length);
        if (from == to) {
            return EMPTY;
        }
        return from == 0 && to == length ? this : new Frame(bytes, offset + from, to - from);
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    /** Copies the bytes into {@code target} at {@code targetOffset}. */
    public void copyTo(byte[] target, int targetOffset) {
        System.arraycopy(bytes, offset, target, targetOffset, length);
    }

    /** A read-only view of the bytes. */
    public ByteBuffer asReadOnlyByteBuffer() {
        return ByteBuffer.wrap(bytes, offset, length).slice().asReadOnlyBuffer();
    }

    /** A new Vert.x buffer holding a copy of the bytes (a buffer is mutable, so it never shares them). */
    public Buffer toBuffer() {
        return Buffer.buffer(length).appendBytes(bytes, offset, length);
    }

    /**
     * A read-only Vert.x buffer over the bytes, without copying: for handing a frame to a
     * {@code WriteStream} (the write bridge uses it, so each chunk is copied once on its way
     * through the SPI instead of twice). Writing into it in place throws
     * {@link java.nio.ReadOnlyBufferException}, and an append makes Vert.x move the buffer to a
     * fresh copy, so the frame never changes; use {@link #toBuffer()} for a buffer to modify.
     * The view is a plain heap buffer, not pooled, so nothing needs releasing.
     */
    public Buffer asReadOnlyBuffer() {
        // Vert.x has no public factory that wraps without copying (Buffer.buffer(byte[]) copies)
        return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes, offset, length).asReadOnly());
    }

    /** The bytes decoded as UTF-8. */
    public String toUtf8() {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f
                && Arrays.equals(bytes, offset, offset + length, f.bytes, f.offset, f.offset + f.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + bytes[i];
        }
        return h;
    }

    /** Short diagnostic form: the size and at most the first 32 bytes, printable ASCII as is. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Frame[").append(length).append(" bytes: \"");
        int shown = Math.min(length, 32);
        for (int i = 0; i < shown; i++) {
            int c = bytes[offset + i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append(length > shown ? "\"...]" : "\"]").toString();
    }
}
