package io.smcvertx.handlers.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.smcvertx.handlers.Frame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The read bridge turns each emitted buffer into a frame without copying it when the buffer has a
 * heap array (the copy at 64 KiB reads that kept the SPI echo below {@code pipeTo}), and copies
 * the others; in every case the frame holds exactly the buffer's readable bytes.
 */
class ReadStreamPublisherHandOverTest {

    @Test
    void aHeapBufferBecomesAFrameOverItsOwnBytes() {
        Buffer buffer = Buffer.buffer("hello");
        Frame frame = ReadStreamPublisher.handedOver(buffer);
        assertThat(frame.toUtf8()).isEqualTo("hello");
        // no copy: the frame sees the emitted buffer's array (the stream gave the buffer up, so in
        // real use nobody writes to it again; this write only proves the bytes are shared)
        buffer.setByte(0, (byte) 'j');
        assertThat(frame.toUtf8()).isEqualTo("jello");
    }

    @Test
    void onlyTheReadableWindowOfASharedArrayIsTaken() {
        byte[] array = "xxhello worldyy".getBytes(StandardCharsets.US_ASCII);
        ByteBuf window = Unpooled.wrappedBuffer(array, 2, 11); // arrayOffset 2
        window.readerIndex(6);                                  // readable: "world"
        Frame frame = ReadStreamPublisher.handedOver(BufferInternal.buffer(window));
        assertThat(frame).isEqualTo(Frame.ofUtf8("world"));
        assertThat(frame.size()).isEqualTo(5);
    }

    @Test
    void directAndReadOnlyBuffersAreCopied() {
        ByteBuf direct = Unpooled.directBuffer(8).writeBytes(new byte[] {1, 2, 3});
        Frame fromDirect = ReadStreamPublisher.handedOver(BufferInternal.buffer(direct));
        direct.setByte(0, 9);
        assertThat(fromDirect.toByteArray()).containsExactly(1, 2, 3);
        direct.release();

        Frame source = Frame.ofUtf8("abc");
        Frame fromView = ReadStreamPublisher.handedOver(source.asReadOnlyBuffer());
        assertThat(fromView).isEqualTo(source);
    }

    @Test
    void anEmptyBufferIsTheEmptyFrame() {
        assertThat(ReadStreamPublisher.handedOver(Buffer.buffer())).isSameAs(Frame.empty());
    }
}
