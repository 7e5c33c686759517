package io.smcvertx.handlers.codec;

import io.smallrye.mutiny.Multi;
import io.smcvertx.handlers.Frame;
import java.util.List;

/** Frames behind a big-endian unsigned length header of 1, 2 or 4 bytes. */
final class LengthPrefixedFraming implements Framing {

    private final int width;
    private final int maxFrameSize;

    LengthPrefixedFraming(int width, int maxFrameSize) {
        if (width != 1 && width != 2 && width != 4) {
            throw new IllegalArgumentException("`lengthWidth` must be 1, 2 or 4, got: " + width);
        }
        if (maxFrameSize < 0) {
            throw new IllegalArgumentException("`maxFrameSize` must not be negative, got: " + maxFrameSize);
        }
        long expressible = width == 4 ? Integer.MAX_VALUE - 8 : (1L << (8 * width)) - 1;
        if (maxFrameSize > expressible) {
            throw new IllegalArgumentException("`maxFrameSize` must be at most " + expressible
                    + " for `lengthWidth` " + width + ", got: " + maxFrameSize);
        }
        this.width = width;
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    public Multi<Frame> decode(Multi<Frame> raw) {
        return Framing.decodeWith(raw, Decoder::new);
    }

    @Override
    public Frame encode(Frame frame) {
        int n = frame.size();
        if (n > maxFrameSize) {
            throw new FrameTooLargeException("maxFrameSize", maxFrameSize, n);
        }
        byte[] out = new byte[width + n];
        for (int i = 0; i < width; i++) {
            out[i] = (byte) (n >>> (8 * (width - 1 - i)));
        }
        frame.copyTo(out, width);
        return Frame.of(out);
    }

    @Override
    public String toString() {
        return "Framing.lengthPrefixed(" + width + ", " + maxFrameSize + ")";
    }

    private final class Decoder implements Framing.Decoder {
        private final ByteAccumulator acc = new ByteAccumulator();
        private long expected = -1; // payload length of the frame being read, -1 while reading its header

        @Override
        public void feed(Frame chunk, List<Frame> out) {
            acc.append(chunk);
            while (true) {
                if (expected < 0) {
                    if (acc.readable() < width) {
                        return;
                    }
                    long len = 0;
                    for (int i = 0; i < width; i++) {
                        len = (len << 8) | acc.get(i);
                    }
                    if (len > maxFrameSize) {
                        throw new FrameTooLargeException("maxFrameSize", maxFrameSize, len);
                    }
                    acc.skip(width);
                    expected = len;
                }
                if (acc.readable() < expected) {
                    return;
                }
                out.add(acc.take((int) expected, 0));
                expected = -1;
            }
        }

        @Override
        public List<Frame> finish() {
            if (expected >= 0) {
                throw new FramingException("input ended inside a frame: got " + acc.readable()
                        + " of " + expected + " payload bytes");
            }
            if (acc.readable() > 0) {
                throw new FramingException("input ended inside a length header: got " + acc.readable()
                        + " of " + width + " bytes");
            }
            return List.of();
        }
    }
}
