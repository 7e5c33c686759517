package io.smcvertx.handlers.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smcvertx.handlers.Frame;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LengthPrefixedFramingTest {

    private static final List<Frame> MESSAGES = List.of(
            Frame.ofUtf8("hello"), Frame.empty(), Frame.ofUtf8("x"), Frame.empty(), Frame.ofUtf8("a longer frame, 33 bytes of text!"));

    private static byte[] wire(Framing framing, List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            out.writeBytes(framing.encode(f).toByteArray());
        }
        return out.toByteArray();
    }

    private static AssertSubscriber<Frame> decode(Framing framing, List<Frame> reads) {
        return Multi.createFrom().iterable(reads).plug(framing::decode)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void mergedReadRoundTripsIncludingZeroLengthFrames(int width) {
        Framing framing = Framing.lengthPrefixed(width, 100);
        byte[] bytes = wire(framing, MESSAGES);
        assertThat(bytes).hasSize(MESSAGES.stream().mapToInt(Frame::size).sum() + width * MESSAGES.size());
        AssertSubscriber<Frame> s = decode(framing, List.of(Frame.of(bytes)));
        s.assertCompleted();
        assertThat(s.getItems()).containsExactlyElementsOf(MESSAGES);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void splitAtEveryByteBoundaryGivesTheSameFrames(int width) {
        Framing framing = Framing.lengthPrefixed(width, 100);
        byte[] bytes = wire(framing, MESSAGES);
        for (int cut = 0; cut <= bytes.length; cut++) {
            AssertSubscriber<Frame> s = decode(framing, List.of(Frame.of(bytes, 0, cut), Frame.of(bytes, cut, bytes.length - cut)));
            s.assertCompleted();
            assertThat(s.getItems()).as("cut at %d", cut).containsExactlyElementsOf(MESSAGES);
        }
        List<Frame> oneByteReads = new ArrayList<>();
        for (byte b : bytes) {
            oneByteReads.add(Frame.of(new byte[] {b}));
        }
        assertThat(decode(framing, oneByteReads).assertCompleted().getItems()).containsExactlyElementsOf(MESSAGES);
    }

    @Test
    void headerIsBigEndianUnsigned() {
        byte[] payload = new byte[200];
        assertThat(Framing.lengthPrefixed(1, 255).encode(Frame.of(payload)).byteAt(0)).isEqualTo((byte) 200);
        Frame two = Framing.lengthPrefixed(2, 65535).encode(Frame.of(new byte[0x0102]));
        assertThat(two.byteAt(0)).isEqualTo((byte) 1);
        assertThat(two.byteAt(1)).isEqualTo((byte) 2);
        Frame four = Framing.lengthPrefixed(4, 1 << 20).encode(Frame.of(new byte[0x010203]));
        assertThat(four.slice(0, 4).toByteArray()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void oversizeHeaderFailsBeforeAnyPayloadArrives() {
        Framing framing = Framing.lengthPrefixed(4, 1024);
        // a header announcing 2 GiB - 1 and no payload at all: must fail on the header alone
        AssertSubscriber<Frame> s = decode(framing, List.of(Frame.of(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff})));
        FrameTooLargeException e = (FrameTooLargeException) s.assertFailedWith(FrameTooLargeException.class, "`maxFrameSize` (1024 bytes)").getFailure();
        assertThat(e.size()).isEqualTo(0x7fffffffL);
        // 0xffffffff is read unsigned, not as -1
        decode(framing, List.of(Frame.of(new byte[] {-1, -1, -1, -1}))).assertFailedWith(FrameTooLargeException.class, "4294967295");
    }

    @Test
    void framesBeforeTheOversizeOneAreDelivered() {
        Framing framing = Framing.lengthPrefixed(1, 3);
        AssertSubscriber<Frame> s = decode(framing, List.of(Frame.of(new byte[] {2, 'o', 'k', 4, 'b', 'a', 'd', '!'})));
        s.assertFailedWith(FrameTooLargeException.class);
        assertThat(s.getItems()).containsExactly(Frame.ofUtf8("ok"));
    }

    @Test
    void inputEndingInsideAFrameIsMalformed() {
        Framing framing = Framing.lengthPrefixed(2, 100);
        decode(framing, List.of(Frame.of(new byte[] {0, 5, 'a', 'b'}))).assertFailedWith(FramingException.class, "got 2 of 5 payload bytes");
        decode(framing, List.of(Frame.of(new byte[] {0}))).assertFailedWith(FramingException.class, "inside a length header");
    }

    @Test
    void encodeRefusesOversizeFrames() {
        assertThatThrownBy(() -> Framing.lengthPrefixed(2, 10).encode(Frame.of(new byte[11])))
                .isInstanceOf(FrameTooLargeException.class).hasMessageContaining("`maxFrameSize`");
    }

    @Test
    void configIsValidatedNamingTheField() {
        assertThatThrownBy(() -> Framing.lengthPrefixed(3, 10)).hasMessageContaining("`lengthWidth` must be 1, 2 or 4");
        assertThatThrownBy(() -> Framing.lengthPrefixed(1, 256)).hasMessageContaining("`maxFrameSize` must be at most 255");
        assertThatThrownBy(() -> Framing.lengthPrefixed(2, -1)).hasMessageContaining("`maxFrameSize` must not be negative");
    }
}
