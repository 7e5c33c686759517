package io.smcvertx.handlers.testing;

import io.smallrye.mutiny.Multi;
import io.smcvertx.handlers.Frame;
import io.smcvertx.handlers.bridge.WriteStreamSubscriber;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.zip.CRC32;

/**
 * A test client that writes {@code total} bytes of a known pattern as fast as the connection
 * takes them (with backpressure) and reads the same number back deliberately slowly: one buffer
 * per fetch, and a {@code stallMs} stall after every {@code stallEveryBytes}. Completes with the
 * CRC32 of what it read, to compare with {@link #expectedCrc}.
 */
public final class SlowReaderClient {

    /** Size of each write. */
    public static final int CHUNK = 64 * 1024;
    private static final int PATTERNS = 17; // prime, so consecutive chunks differ and reordering shows in the CRC

    private final Vertx vertx;
    private final NetSocket socket;
    private final long total;
    private final long stallEveryBytes;
    private final long stallMs;
    private final WriteStreamSubscriber writer;
    private final CRC32 crc = new CRC32();
    private final Promise<Long> done = Promise.promise();
    private long received;
    private long reads;
    private long sinceStall;

    private SlowReaderClient(Vertx vertx, NetSocket socket, long total, long stallEveryBytes, long stallMs) {
        this.vertx = vertx;
        this.socket = socket;
        this.total = total;
        this.stallEveryBytes = stallEveryBytes;
        this.stallMs = stallMs;
        this.writer = new WriteStreamSubscriber(socket);
    }

    /** Starts writing and reading on {@code socket}; call on the socket's context. */
    public static SlowReaderClient start(Vertx vertx, NetSocket socket, long total, long stallEveryBytes, long stallMs) {
        if (total % CHUNK != 0) {
            throw new IllegalArgumentException("`total` must be a multiple of " + CHUNK);
        }
        SlowReaderClient c = new SlowReaderClient(vertx, socket, total, stallEveryBytes, stallMs);
        c.run();
        return c;
    }

    private static Frame pattern(int i) {
        byte[] b = new byte[CHUNK];
        for (int j = 0; j < b.length; j++) {
            b[j] = (byte) (j * 7 + i * 13 + (j >>> 9));
        }
        return Frame.of(b);
    }

    /** CRC32 of the {@code total} bytes the client sends. */
    public static long expectedCrc(long total) {
        Frame[] patterns = new Frame[PATTERNS];
        for (int i = 0; i < PATTERNS; i++) {
            patterns[i] = pattern(i);
        }
        CRC32 c = new CRC32();
        for (long i = 0; i < total / CHUNK; i++) {
            c.update(patterns[(int) (i % PATTERNS)].asReadOnlyByteBuffer());
        }
        return c.getValue();
    }

    private void run() {
        Frame[] patterns = new Frame[PATTERNS];
        for (int i = 0; i < PATTERNS; i++) {
            patterns[i] = pattern(i);
        }
        socket.pause();
        socket.handler(this::onBuffer);
        socket.exceptionHandler(done::tryFail);
        socket.closeHandler(v -> done.tryFail("connection closed after " + received + " of " + total + " bytes"));
        Multi.createFrom().range(0, (int) (total / CHUNK)).map(i -> patterns[i % PATTERNS])
                .subscribe().withSubscriber(writer);
        socket.fetch(1);
    }

    private void onBuffer(Buffer buffer) {
        byte[] b = buffer.getBytes();
        crc.update(b);
        received += b.length;
        reads++;
        sinceStall += b.length;
        if (received >= total) {
            done.tryComplete(crc.getValue());
        } else if (sinceStall >= stallEveryBytes) {
            sinceStall = 0;
            vertx.setTimer(stallMs, t -> socket.fetch(1));
        } else {
            socket.fetch(1);
        }
    }

    /** Completes with the CRC32 of the bytes read once {@code total} bytes came back. */
    public Future<Long> done() {
        return done.future();
    }

    /** Buffers read so far. */
    public long reads() {
        return reads;
    }

    /** Bytes read so far. */
    public long received() {
        return received;
    }

    /** The client's own write bridge. */
    public WriteStreamSubscriber writer() {
        return writer;
    }

    /** The socket. */
    public NetSocket socket() {
        return socket;
    }
}
