package io.smcvertx.handlers.bridge;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A {@link ReadStream} of {@code count} 8-byte buffers (buffer {@code i} holds {@code i}),
 * generated lazily so even {@code Long.MAX_VALUE - 1} elements cost nothing, for the TCK.
 *
 * <p>It is the least forgiving stream the {@code ReadStream} contract allows: a {@code fetch}
 * on its context delivers synchronously and re-entrantly (no guard: a handler that fetches from
 * inside {@code handle} recurses unless the caller trampolines), its end arrives as soon as the
 * last buffer went out, with or without demand, and an empty stream ends the moment its end
 * handler is set. A failing stream calls its exception handler the moment it is set.
 *
 * <p>Like a socket, it hands over at most {@link #BATCH} buffers per context turn and goes on in
 * the next turn while there is demand, so a flowing stream of {@code Integer.MAX_VALUE} buffers
 * does not hold its event loop for minutes. {@link #close()} plays the owner closing the
 * connection (as {@code ConnectionPipe} does): nothing is delivered after it.
 */
final class CountingReadStream implements ReadStream<Buffer> {

    private final Context context;
    private final long count;
    private final Throwable failure;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private long demand = Long.MAX_VALUE; // flowing until paused, as Vert.x streams start
    private long next;
    private boolean ended;
    private boolean continuationScheduled;
    private volatile boolean closed;

    static final int BATCH = 256;

    private CountingReadStream(Context context, long count, Throwable failure) {
        this.context = context;
        this.count = count;
        this.failure = failure;
    }

    static CountingReadStream of(Context context, long count) {
        return new CountingReadStream(context, count, null);
    }

    static CountingReadStream failing(Context context, Throwable failure) {
        return new CountingReadStream(context, 0, failure);
    }

    static long valueOf(Buffer b) {
        return b.getLong(0);
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
        exceptionHandler = h;
        if (h != null && failure != null && !ended) {
            ended = true;
            h.handle(failure);
        }
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> h) {
        handler = h;
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        demand = 0;
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        demand = Long.MAX_VALUE;
        onContext(this::deliver);
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("`amount` must be greater than zero");
        }
        demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
        onContext(this::deliver);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> h) {
        endHandler = h;
        if (h != null && failure == null) {
            deliverEndIfDone();
        }
        return this;
    }

    /** Stops all delivery, as a closed socket does. */
    void close() {
        closed = true;
    }

    private void deliver() {
        int batch = 0;
        while (demand > 0 && next < count && handler != null && !ended && !closed) {
            if (++batch > BATCH) {
                if (!continuationScheduled) {
                    continuationScheduled = true;
                    context.runOnContext(v -> {
                        continuationScheduled = false;
                        deliver();
                    });
                }
                return;
            }
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            handler.handle(Buffer.buffer(8).appendLong(next++));
        }
        deliverEndIfDone();
    }

    private void deliverEndIfDone() {
        if (next == count && !ended && !closed && endHandler != null) {
            ended = true;
            endHandler.handle(null);
        }
    }

    private void onContext(Runnable r) {
        if (Vertx.currentContext() == context) {
            r.run();
        } else {
            context.runOnContext(v -> r.run());
        }
    }
}
