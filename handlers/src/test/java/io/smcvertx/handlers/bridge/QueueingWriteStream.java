package io.smcvertx.handlers.bridge;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory {@link WriteStream} whose writes complete one context turn later, with a small
 * write queue ({@code maxQueued} writes) so {@link #writeQueueFull()} and the drain handler are
 * exercised on almost every frame, for the TCK.
 */
final class QueueingWriteStream implements WriteStream<Buffer> {

    private final Context context;
    private final int maxQueued;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private volatile Handler<Void> drainHandler;

    QueueingWriteStream(Context context, int maxQueued) {
        this.context = context;
        this.maxQueued = maxQueued;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
        Promise<Void> written = Promise.promise();
        queued.incrementAndGet();
        context.runOnContext(v -> {
            bytes.addAndGet(data.length());
            boolean wasFull = writeQueueFull();
            queued.decrementAndGet();
            written.complete();
            Handler<Void> h = drainHandler;
            if (wasFull && !writeQueueFull() && h != null) {
                h.handle(null);
            }
        });
        return written.future();
    }

    @Override
    public Future<Void> end() {
        return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean writeQueueFull() {
        return queued.get() >= maxQueued;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        drainHandler = handler;
        return this;
    }

    long bytesWritten() {
        return bytes.get();
    }
}
