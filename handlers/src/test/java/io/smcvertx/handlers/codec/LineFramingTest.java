package io.smcvertx.handlers.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smcvertx.handlers.Frame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramingTest {

    private static AssertSubscriber<Frame> decode(Framing framing, String... reads) {
        List<Frame> chunks = new ArrayList<>();
        for (String r : reads) {
            chunks.add(Frame.ofUtf8(r));
        }
        return Multi.createFrom().iterable(chunks).plug(framing::decode)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    }

    private static List<String> texts(AssertSubscriber<Frame> s) {
        return s.getItems().stream().map(Frame::toUtf8).toList();
    }

    @Test
    void mergedReadsGiveSeveralLinesAndCrLfIsStripped() {
        AssertSubscriber<Frame> s = decode(Framing.lines(100), "one\ntwo\r\nthree\n");
        s.assertCompleted();
        assertThat(texts(s)).containsExactly("one", "two", "three");
    }

    @Test
    void splitReadsAreJoined() {
        AssertSubscriber<Frame> s = decode(Framing.lines(100), "he", "llo wo", "rld\r", "\nbye\n");
        s.assertCompleted();
        assertThat(texts(s)).containsExactly("hello world", "bye");
    }

    @Test
    void emptyLinesAreZeroLengthFrames() {
        AssertSubscriber<Frame> s = decode(Framing.lines(10), "\n\r\n", "", "\n");
        s.assertCompleted();
        assertThat(s.getItems()).hasSize(3).allMatch(Frame::isEmpty);
    }

    @Test
    void aLastLineWithoutDelimiterIsDeliveredAtEnd() {
        AssertSubscriber<Frame> s = decode(Framing.lines(10), "a\nlast");
        s.assertCompleted();
        assertThat(texts(s)).containsExactly("a", "last");
    }

    @Test
    void aLineAtTheLimitPassesAndOneByteMoreFails() {
        decode(Framing.lines(5), "12345\n").assertCompleted();
        decode(Framing.lines(5), "12345\r\n").assertCompleted();
        AssertSubscriber<Frame> s = decode(Framing.lines(5), "ok\n123456\n");
        s.assertFailedWith(FrameTooLargeException.class, "`maxLineLength` (5 bytes)");
        assertThat(texts(s)).containsExactly("ok");
    }

    @Test
    void anOversizeLineFailsBeforeItsDelimiterArrives() {
        // the peer never sends '\n': the decoder must fail as soon as the limit is passed, not buffer forever
        AssertSubscriber<Frame> s = decode(Framing.lines(8), "1234", "5678", "9");
        FrameTooLargeException e = (FrameTooLargeException) s.assertFailedWith(FrameTooLargeException.class).getFailure();
        assertThat(e.limitName()).isEqualTo("maxLineLength");
        assertThat(e.limit()).isEqualTo(8);
        assertThat(e.size()).isEqualTo(9);
    }

    @Test
    void aPendingCarriageReturnDoesNotCountAgainstTheLimit() {
        AssertSubscriber<Frame> s = decode(Framing.lines(3), "abc\r", "\n");
        s.assertCompleted();
        assertThat(texts(s)).containsExactly("abc");
    }

    @Test
    void splitAtEveryByteBoundaryGivesTheSameLines() {
        String wire = "SET a 1\r\n\nGET a\nDEL a\r\n";
        byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            Multi<Frame> reads = Multi.createFrom().items(Frame.of(bytes, 0, cut), Frame.of(bytes, cut, bytes.length - cut));
            AssertSubscriber<Frame> s = reads.plug(Framing.lines(16)::decode).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            s.assertCompleted();
            assertThat(texts(s)).as("cut at %d", cut).containsExactly("SET a 1", "", "GET a", "DEL a");
        }
        // and one byte per read
        List<Frame> single = new ArrayList<>();
        for (byte b : bytes) {
            single.add(Frame.of(new byte[] {b}));
        }
        AssertSubscriber<Frame> s = Multi.createFrom().iterable(single).plug(Framing.lines(16)::decode)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        assertThat(texts(s.assertCompleted())).containsExactly("SET a 1", "", "GET a", "DEL a");
    }

    @Test
    void decodingHonoursDownstreamDemand() {
        AssertSubscriber<Frame> s = Multi.createFrom().items(Frame.ofUtf8("a\nb\nc\n"))
                .plug(Framing.lines(4)::decode).subscribe().withSubscriber(AssertSubscriber.create(1));
        assertThat(texts(s)).containsExactly("a");
        s.request(5).assertCompleted();
        assertThat(texts(s)).containsExactly("a", "b", "c");
    }

    @Test
    void encodeAppendsLfAndRejectsEmbeddedLf() {
        assertThat(Framing.lines(4).encode(Frame.ofUtf8("OK")).toUtf8()).isEqualTo("OK\n");
        assertThatThrownBy(() -> Framing.lines(4).encode(Frame.ofUtf8("a\nb"))).isInstanceOf(FramingException.class);
    }

    @Test
    void invalidLimitIsRejectedNamingTheField() {
        assertThatThrownBy(() -> Framing.lines(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`maxLineLength` must be greater than zero");
    }

    @Test
    void eachSubscriptionHasItsOwnState() {
        Multi<Frame> decoded = Multi.createFrom().items(Frame.ofUtf8("x"), Frame.ofUtf8("y\n")).plug(Framing.lines(4)::decode);
        for (int i = 0; i < 2; i++) {
            assertThat(texts(decoded.subscribe().withSubscriber(AssertSubscriber.create(10)).assertCompleted())).containsExactly("xy");
        }
    }
}
