package io.smcvertx.handlers.codec;

import io.smallrye.mutiny.Multi;
import io.smcvertx.handlers.Frame;
import io.smcvertx.handlers.bridge.TckEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * The Reactive Streams TCK against one decoding operator: {@code framing.decode(raw)} must be a
 * correct publisher of exactly {@code n} frames when {@code raw} carries {@code n} encoded frames
 * cut into reads that split and merge them (read sizes cycle through {@link #READ_SIZES}). The
 * raw source is lazy, so the TCK's {@code Long.MAX_VALUE - 1}-element publishers cost nothing.
 */
abstract class FramingTckBase extends FlowPublisherVerification<Frame> {

    static final int[] READ_SIZES = {1, 7, 3, 40, 2, 19, 64};

    FramingTckBase() {
        super(TckEnvironment.create(), TckEnvironment.GC_TIMEOUT_MS);
    }

    abstract Framing framing();

    /** The wire bytes of frame {@code i}, delimiter or header included. */
    abstract byte[] encoded(long i);

    /** Payload of frame {@code i}: every fifth frame is empty, the others its number in hex. */
    static Frame payload(long i) {
        return i % 5 == 4 ? Frame.empty() : Frame.ofUtf8(Long.toHexString(i));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Flow.Publisher<Frame> createFlowPublisher(long elements) {
        return framing().decode(Multi.createFrom().iterable(() -> new Reads(elements)));
    }

    @Override
    public Flow.Publisher<Frame> createFailedFlowPublisher() {
        return framing().decode(Multi.createFrom().failure(new IOException("connection reset (test)")));
    }

    /** The encoded frames {@code 0 .. n-1} as one byte stream, handed out in reads of cycling sizes. */
    private final class Reads implements Iterator<Frame> {
        private final long frames;
        private long nextFrame;
        private byte[] current = new byte[0];
        private int pos;
        private int read;

        Reads(long frames) {
            this.frames = frames;
        }

        @Override
        public boolean hasNext() {
            return pos < current.length || nextFrame < frames;
        }

        @Override
        public Frame next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            byte[] chunk = new byte[READ_SIZES[read++ % READ_SIZES.length]];
            int n = 0;
            while (n < chunk.length) {
                if (pos == current.length) {
                    if (nextFrame == frames) {
                        break;
                    }
                    current = encoded(nextFrame++);
                    pos = 0;
                    continue;
                }
                int k = Math.min(chunk.length - n, current.length - pos);
                System.arraycopy(current, pos, chunk, n, k);
                pos += k;
                n += k;
            }
            return Frame.of(chunk, 0, n);
        }
    }
}
