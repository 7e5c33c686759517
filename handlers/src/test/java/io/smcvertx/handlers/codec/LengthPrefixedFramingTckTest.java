package io.smcvertx.handlers.codec;

/** {@link FramingTckBase} for {@code Framing.lengthPrefixed(2, 64)}, zero-length frames included. */
public class LengthPrefixedFramingTckTest extends FramingTckBase {

    private final Framing framing = Framing.lengthPrefixed(2, 64);

    @Override
    Framing framing() {
        return framing;
    }

    @Override
    byte[] encoded(long i) {
        return framing.encode(payload(i)).toByteArray();
    }
}
