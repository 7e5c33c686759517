package io.smcvertx.handlers.codec;

import io.smallrye.mutiny.Multi;
import io.smcvertx.handlers.Frame;
import java.util.List;

/** {@code \n} / {@code \r\n} delimited lines with a length limit. */
final class LineFraming implements Framing {

    private static final Frame LF = Frame.of(new byte[] {'\n'});

    private final int maxLineLength;

    LineFraming(int maxLineLength) {
        if (maxLineLength <= 0) {
            throw new IllegalArgumentException("`maxLineLength` must be greater than zero, got: " + maxLineLength);
        }
        if (maxLineLength > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("`maxLineLength` must be at most " + (Integer.MAX_VALUE - 8));
        }
        this.maxLineLength = maxLineLength;
    }

    @Override
    public Multi<Frame> decode(Multi<Frame> raw) {
        return Framing.decodeWith(raw, Decoder::new);
    }

    @Override
    public Frame encode(Frame frame) {
        for (int i = 0; i < frame.size(); i++) {
            if (frame.byteAt(i) == '\n') {
                throw new FramingException("a line-framed reply must not contain `\\n` (at byte " + i + ")");
            }
        }
        return Frame.concat(frame, LF);
    }

    @Override
    public String toString() {
        return "Framing.lines(" + maxLineLength + ")";
    }

    private final class Decoder implements Framing.Decoder {
        private final ByteAccumulator acc = new ByteAccumulator();
        private int scanned; // bytes of the window already known to hold no '\n'

        @Override
        public void feed(Frame chunk, List<Frame> out) {
            acc.append(chunk);
            int nl;
            while ((nl = acc.indexOf((byte) '\n', scanned)) >= 0) {
                int len = nl > 0 && acc.get(nl - 1) == '\r' ? nl - 1 : nl;
                if (len > maxLineLength) {
                    throw new FrameTooLargeException("maxLineLength", maxLineLength, len);
                }
                out.add(acc.take(len, nl - len + 1));
                scanned = 0;
            }
            int pending = acc.readable();
            scanned = pending;
            // a pending '\r' may still become part of "\r\n", so it does not count yet
            int content = pending > 0 && acc.get(pending - 1) == '\r' ? pending - 1 : pending;
            if (content > maxLineLength) {
                throw new FrameTooLargeException("maxLineLength", maxLineLength, content);
            }
        }

        @Override
        public List<Frame> finish() {
            int pending = acc.readable();
            if (pending == 0) {
                return List.of();
            }
            // a trailing '\r' never became "\r\n", so here it is part of the line (found by FramingFuzzTest)
            if (pending > maxLineLength) {
                throw new FrameTooLargeException("maxLineLength", maxLineLength, pending);
            }
            return List.of(acc.take(pending, 0));
        }
    }
}
