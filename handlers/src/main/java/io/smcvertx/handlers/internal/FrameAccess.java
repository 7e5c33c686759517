package io.smcvertx.handlers.internal;

import io.smcvertx.handlers.Frame;
import java.util.Objects;

/**
 * Makes a {@link Frame} over bytes whose owner hands them over, without the copy that every public
 * factory of {@code Frame} makes. Only the read bridge uses it, for the buffers a Vert.x stream
 * emits (nobody writes to those afterwards); the package is not exported, so no code outside this
 * module can break a frame's immutability with it. {@code Frame} installs the wrapper when its class
 * is initialized (the JDK's shared-secrets pattern: its constructor stays private).
 */
public final class FrameAccess {

    /** Frame's private constructor, handed over by its static initializer. */
    @FunctionalInterface
    public interface Wrapper {
        /** A frame over {@code length} bytes of {@code bytes} from {@code offset}, not copied. */
        Frame wrap(byte[] bytes, int offset, int length);
    }

    private static volatile Wrapper wrapper;

    private FrameAccess() {
    }

    /** Called once, by {@code Frame}'s static initializer. */
    public static void install(Wrapper w) {
        Objects.requireNonNull(w, "`wrapper` must not be `null`");
        if (wrapper != null) {
            throw new IllegalStateException("the frame wrapper is installed once, by Frame");
        }
        wrapper = w;
    }

    /**
     * A frame over {@code length} bytes of {@code bytes} from {@code offset}, without a copy: the
     * caller gives the bytes up and must never change them afterwards.
     */
    public static Frame wrapOwned(byte[] bytes, int offset, int length) {
        Objects.requireNonNull(bytes, "`bytes` must not be `null`");
        Objects.checkFromIndexSize(offset, length, bytes.length);
        Wrapper w = wrapper;
        if (w == null) {
            Frame.empty(); // initializes Frame, which installs the wrapper
            w = wrapper;
        }
        return w.wrap(bytes, offset, length);
    }
}
