package io.smcvertx.handlers.codec;

import io.smallrye.mutiny.Multi;
import io.smcvertx.handlers.Frame;

/** The identity framing. */
enum RawFraming implements Framing {
    INSTANCE;

    @Override
    public Multi<Frame> decode(Multi<Frame> raw) {
        return raw;
    }

    @Override
    public Frame encode(Frame frame) {
        return frame;
    }

    @Override
    public String toString() {
        return "Framing.raw()";
    }
}
