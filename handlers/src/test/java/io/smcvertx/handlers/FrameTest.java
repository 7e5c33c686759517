package io.smcvertx.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class FrameTest {

    @Test
    void factoriesCopySoCallersCannotMutateAFrame() {
        byte[] source = {1, 2, 3};
        Frame f = Frame.of(source);
        source[0] = 9;
        assertThat(f.toByteArray()).containsExactly(1, 2, 3);
        f.toByteArray()[1] = 9;
        assertThat(f.byteAt(1)).isEqualTo((byte) 2);
        Buffer b = f.toBuffer();
        b.setByte(2, (byte) 9);
        assertThat(f.byteAt(2)).isEqualTo((byte) 3);
    }

    @Test
    void slicesConcatAndEqualityWorkOnContent() {
        Frame f = Frame.ofUtf8("hello world");
        assertThat(f.slice(6, 11)).isEqualTo(Frame.ofUtf8("world")).hasSameHashCodeAs(Frame.ofUtf8("world"));
        assertThat(Frame.concat(f.slice(0, 5), Frame.ofUtf8("!")).toUtf8()).isEqualTo("hello!");
        assertThat(f.slice(3, 3)).isSameAs(Frame.empty());
        assertThat(Frame.of(Buffer.buffer("abc"))).isEqualTo(Frame.ofUtf8("abc"));
        assertThat(f.asReadOnlyByteBuffer().remaining()).isEqualTo(11);
        assertThat(Frame.of(new byte[] {0, 'a'}).toString()).isEqualTo("Frame[2 bytes: \"\\x00a\"]");
    }

    @Test
    void theReadOnlyBufferViewHasTheBytesAndRefusesEveryWrite() {
        Frame parent = Frame.ofUtf8("xhello!");
        Frame f = parent.slice(1, 6);
        Buffer view = f.asReadOnlyBuffer();
        assertThat(view.length()).isEqualTo(5);
        assertThat(view.toString()).isEqualTo("hello");
        assertThat(view.getBytes()).containsExactly(f.toByteArray());
        assertThatThrownBy(() -> view.setByte(0, (byte) 'j')).isInstanceOf(ReadOnlyBufferException.class);
        assertThatThrownBy(() -> view.setBytes(0, new byte[] {1})).isInstanceOf(ReadOnlyBufferException.class);
        // an append does not fit a read-only buffer: Vert.x moves the view to a fresh, larger copy
        view.appendString("!");
        assertThat(view.toString()).isEqualTo("hello!");
        view.setByte(0, (byte) 'j');
        assertThat(f.toUtf8()).isEqualTo("hello");
        assertThat(parent.toUtf8()).isEqualTo("xhello!");
        assertThat(Frame.empty().asReadOnlyBuffer().length()).isZero();
    }
}
