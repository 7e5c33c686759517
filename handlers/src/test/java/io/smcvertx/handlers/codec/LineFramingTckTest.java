package io.smcvertx.handlers.codec;

/** {@link FramingTckBase} for {@code Framing.lines(64)}: empty lines included, odd lines end in {@code \r\n}. */
public class LineFramingTckTest extends FramingTckBase {

    private final Framing framing = Framing.lines(64);

    @Override
    Framing framing() {
        return framing;
    }

    @Override
    byte[] encoded(long i) {
        return utf8(payload(i).toUtf8() + (i % 2 == 1 ? "\r\n" : "\n"));
    }
}
