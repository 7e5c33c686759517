package io.smcvertx.handlers.codec;

import io.smallrye.mutiny.Multi;
import io.smcvertx.handlers.Frame;
import java.util.List;
import java.util.function.Function;

/**
 * How frames are delimited on the wire: a decoding operator for {@link Multi#plug} and an
 * encoder for replies.
 *
 * <pre>{@code
 * Framing lines = Framing.lines(1024);
 * Multi<Frame> requests = rawInput.plug(lines::decode);
 * Multi<Frame> wire = replies.map(lines::encode);
 * }</pre>
 *
 * <p>Decoders keep per-subscription state, never buffer more than one frame plus one read, and
 * fail the stream with a {@link FramingException} (a {@link FrameTooLargeException} for a limit)
 * on bad input, which closes that connection only.
 */
public interface Framing {

    /** Default {@code maxFrameSize}/{@code maxLineLength}: 64 KiB. */
    int DEFAULT_MAX_FRAME_SIZE = 64 * 1024;

    /** Splits raw reads into frames (delimiters and headers removed). */
    Multi<Frame> decode(Multi<Frame> raw);

    /** Adds the delimiter or header to one frame. */
    Frame encode(Frame frame);

    /** The decoder as a function, for {@code multi.plug(framing.decoder())}. */
    default Function<Multi<Frame>, Multi<Frame>> decoder() {
        return this::decode;
    }

    /** No framing: frames are the reads as they arrive, and replies go out as they are. */
    static Framing raw() {
        return RawFraming.INSTANCE;
    }

    /**
     * Lines ended by {@code \n} or {@code \r\n}; the delimiter is not part of the frame. Replies
     * get {@code \n}. A last line without delimiter at end of input is still delivered.
     *
     * @param maxLineLength the longest line accepted, delimiter excluded ({@code maxLineLength})
     */
    static Framing lines(int maxLineLength) {
        return new LineFraming(maxLineLength);
    }

    /**
     * Frames preceded by their length as a big-endian unsigned integer of {@code width} bytes.
     * Zero-length frames are allowed; input ending inside a frame is a {@link FramingException}.
     *
     * @param width 1, 2 or 4 ({@code lengthWidth})
     * @param maxFrameSize the largest payload accepted and sent, header excluded
     *     ({@code maxFrameSize}); at most what {@code width} can express
     */
    static Framing lengthPrefixed(int width, int maxFrameSize) {
        return new LengthPrefixedFraming(width, maxFrameSize);
    }

    /** Per-subscription decoding state, for {@link #decodeWith}. */
    interface Decoder {
        /**
         * Adds the frames completed by {@code chunk} to {@code out}. On bad input it throws a
         * {@link FramingException}; the frames already in {@code out} are still delivered first.
         */
        void feed(Frame chunk, List<Frame> out);

        /** Frames left at end of input, or a {@link FramingException} if input ended mid-frame. */
        List<Frame> finish();
    }

    /**
     * Runs a fresh {@link Decoder} per subscription over {@code raw}: one read is requested at a
     * time, and only while the subscriber has demand and no decoded frame is pending.
     */
    static Multi<Frame> decodeWith(Multi<Frame> raw, java.util.function.Supplier<Decoder> decoders) {
        return new DecodingMulti(raw, decoders);
    }
}
