package io.smcvertx.handlers.codec;

import io.smcvertx.handlers.Frame;

/** The bytes a decoder has received but not yet emitted: one growable array with a read window. */
final class ByteAccumulator {

    private byte[] buf = new byte[256];
    private int start;
    private int end;

    int readable() {
        return end - start;
    }

    void append(Frame frame) {
        int n = frame.size();
        if (n == 0) {
            return;
        }
        if (end + n > buf.length) {
            int live = end - start;
            if (live + n <= buf.length && start > 0) {
                System.arraycopy(buf, start, buf, 0, live);
            } else {
                byte[] bigger = new byte[Math.max(buf.length * 2, live + n)];
                System.arraycopy(buf, start, bigger, 0, live);
                buf = bigger;
            }
            start = 0;
            end = live;
        }
        frame.copyTo(buf, end);
        end += n;
    }

    /** The unsigned byte at {@code index} bytes into the readable window. */
    int get(int index) {
        return buf[start + index] & 0xff;
    }

    /** Index of {@code b} at or after {@code from} (relative to the window), or -1. */
    int indexOf(byte b, int from) {
        for (int i = start + from; i < end; i++) {
            if (buf[i] == b) {
                return i - start;
            }
        }
        return -1;
    }

    /** Copies {@code length} bytes out as a frame and drops {@code length + skip} bytes. */
    Frame take(int length, int skip) {
        Frame f = Frame.of(buf, start, length);
        start += length + skip;
        if (start == end) {
            start = 0;
            end = 0;
            if (buf.length > 64 * 1024) {
                buf = new byte[256]; // do not keep a large frame's array alive on an idle connection
            }
        }
        return f;
    }

    void skip(int n) {
        start += n;
    }
}
