package io.smcvertx.handlers.codec;

import io.smallrye.mutiny.Multi;
import io.smcvertx.handlers.Frame;
import java.util.Iterator;
import java.util.concurrent.Flow;

/**
 * {@link FramingTckBase} for {@code Framing.raw()}. Raw is the identity, so each read is one
 * frame and this checks only that the operator hands its source (here Mutiny's iterable
 * publisher) through without breaking it.
 */
public class RawFramingTckTest extends FramingTckBase {

    @Override
    Framing framing() {
        return Framing.raw();
    }

    @Override
    byte[] encoded(long i) {
        return payload(i).toByteArray();
    }

    @Override
    public Flow.Publisher<Frame> createFlowPublisher(long elements) {
        Iterable<Frame> reads = () -> new Iterator<>() {
            private long i;

            @Override
            public boolean hasNext() {
                return i < elements;
            }

            @Override
            public Frame next() {
                return payload(i++);
            }
        };
        return framing().decode(Multi.createFrom().iterable(reads));
    }
}
