package io.smcvertx.handlers.bridge;

import io.netty.buffer.ByteBuf;
import io.smallrye.mutiny.Multi;
import io.smcvertx.handlers.Frame;
import io.smcvertx.handlers.internal.FrameAccess;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Vert.x {@link ReadStream} of buffers as a single-subscriber {@link Flow.Publisher} of frames.
 *
 * <p>The stream is paused from construction on and only ever {@link ReadStream#fetch fetched}
 * as much as the subscriber requested, so Vert.x stops reading the socket (and TCP pushes back
 * on the peer) while the subscriber is slow: this bridge itself holds no data. Stream calls and
 * every signal to the subscriber are made on the stream's {@link Context}, which keeps them
 * serial (Reactive Streams rule 1.3); requests from other threads hop onto it. Checked with the
 * Reactive Streams TCK ({@code ReadStreamPublisherTckTest}).
 *
 * <p>On cancellation the stream is detached and resumed with a discarding handler, so it is
 * never left paused with nobody to fetch; the owner (e.g. {@code ConnectionPipe}) usually
 * closes it as well.
 *
 * <p>Each buffer the stream emits becomes a frame without a copy when it has a heap array (a
 * NetSocket's buffers do: Vert.x already copied the socket's pooled buffer into a fresh one): the
 * stream hands its buffers over, as Vert.x's own {@code Pipe} assumes when it writes them on
 * unchanged. A stream that changes a buffer after emitting it must not be bridged. Other buffers
 * (direct, read-only) are copied.
 */
public final class ReadStreamPublisher implements Flow.Publisher<Frame> {

    private final ReadStream<Buffer> stream;
    private final Context context;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private volatile boolean cancelled;
    private volatile boolean terminated;

    // confined to the context
    private Flow.Subscriber<? super Frame> subscriber; // dropped on cancel and after the terminal signal (rule 3.13)
    private boolean onSubscribeDone;
    private boolean endPending; // the stream ended (or failed) before onSubscribe returned
    private Throwable failurePending;
    private long toFetch;
    private boolean fetching;

    /**
     * Pauses {@code stream} and wraps it.
     *
     * @param stream the stream; nothing else may set its handlers or call pause/resume/fetch
     * @param context the context the stream belongs to (for a NetSocket: the one current in its
     *     connect handler)
     */
    public ReadStreamPublisher(ReadStream<Buffer> stream, Context context) {
        this.stream = Objects.requireNonNull(stream, "`stream` must not be `null`");
        this.context = Objects.requireNonNull(context, "`context` must not be `null`");
        stream.pause();
    }

    /** Wraps {@code stream} (see the constructor) as a {@link Multi}. */
    public static Multi<Frame> toMulti(ReadStream<Buffer> stream, Context context) {
        return Multi.createFrom().publisher(new ReadStreamPublisher(stream, context));
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Frame> s) {
        Objects.requireNonNull(s, "`subscriber` must not be `null`");
        if (!subscribed.compareAndSet(false, true)) {
            s.onSubscribe(NoopSubscription.INSTANCE);
            s.onError(new IllegalStateException("a connection's input can be subscribed to only once"));
            return;
        }
        onContext(() -> {
            if (terminated) { // the socket closed before anyone subscribed
                s.onSubscribe(NoopSubscription.INSTANCE);
                s.onComplete();
                return;
            }
            subscriber = s;
            // the stream is paused, so only its end or a failure can arrive before onSubscribe returns: held until then (rule 1.9)
            stream.handler(this::onBuffer);
            stream.endHandler(v -> terminate(null));
            stream.exceptionHandler(this::terminate);
            s.onSubscribe(new Subscription());
            onSubscribeDone = true;
            if (endPending) {
                terminate(failurePending);
            }
        });
    }

    private void onBuffer(Buffer buffer) {
        Flow.Subscriber<? super Frame> s = subscriber;
        if (cancelled || terminated || s == null) {
            return;
        }
        outstanding.decrementAndGet();
        bytesRead.addAndGet(buffer.length());
        s.onNext(handedOver(buffer));
    }

    /**
     * The buffer's readable bytes as a frame, sharing its heap array (the stream gives the buffer
     * up); copied when there is no accessible array. At 64 KiB reads this copy was what kept the
     * SPI echo below {@code NetSocket.pipeTo} (benchmarks/README.md, row 2).
     */
    static Frame handedOver(Buffer buffer) {
        if (buffer instanceof BufferInternal internal) {
            ByteBuf b = internal.unwrap();
            if (b.hasArray()) {
                return FrameAccess.wrapOwned(b.array(), b.arrayOffset() + b.readerIndex(), b.readableBytes());
            }
        }
        return Frame.of(buffer);
    }

    private void terminate(Throwable failure) {
        if (terminated || cancelled) {
            return;
        }
        Flow.Subscriber<? super Frame> s = subscriber;
        if (s == null) {
            terminated = true; // closed before anyone subscribed: nothing to tell
            return;
        }
        if (!onSubscribeDone) {
            endPending = true;
            failurePending = failure;
            return;
        }
        terminated = true;
        subscriber = null;
        if (failure == null) {
            s.onComplete();
        } else {
            s.onError(failure);
        }
    }

    private void request(long n) {
        if (cancelled || terminated) {
            return;
        }
        if (n <= 0) {
            Flow.Subscriber<? super Frame> s = subscriber;
            cancelled = true;
            terminated = true;
            subscriber = null;
            detach();
            if (s != null) {
                s.onError(new IllegalArgumentException("`n` must be greater than zero (Reactive Streams rule 3.9), got: " + n));
            }
            return;
        }
        outstanding.accumulateAndGet(n, ReadStreamPublisher::addCapped);
        toFetch = addCapped(toFetch, n);
        if (fetching) {
            return; // re-entrant request from onNext: the loop below fetches it once the stream returns (rule 3.3)
        }
        fetching = true;
        try {
            while (toFetch > 0 && !cancelled && !terminated) {
                long k = toFetch;
                toFetch = 0;
                stream.fetch(k);
            }
        } finally {
            fetching = false;
        }
    }

    private static long addCapped(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    private void detach() {
        stream.exceptionHandler(t -> { });
        stream.endHandler(null);
        stream.handler(b -> { });
        stream.resume();
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    /**
     * Marks the stream as gone (its socket closed) so the gauges say so; a subscriber that has
     * not seen the end yet gets {@code onComplete}.
     */
    public void streamClosed() {
        onContext(() -> terminate(null));
    }

    /** Demand requested by the subscriber and not yet delivered. */
    public long outstandingDemand() {
        return Math.max(0, outstanding.get());
    }

    /**
     * Whether the stream sits paused waiting for demand: subscribed, no outstanding demand, and
     * neither cancelled nor terminated. After cancellation or termination this is {@code false}.
     */
    public boolean isPausedForDemand() {
        return subscribed.get() && !cancelled && !terminated && outstanding.get() <= 0;
    }

    /** Whether the subscriber cancelled. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** Whether the stream ended, failed or was closed. */
    public boolean isTerminated() {
        return terminated;
    }

    /** Bytes delivered to the subscriber. */
    public long bytesRead() {
        return bytesRead.get();
    }

    private final class Subscription implements Flow.Subscription {
        @Override
        public void request(long n) {
            if (!cancelled && !terminated) {
                onContext(() -> ReadStreamPublisher.this.request(n));
            }
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true; // seen at once by onBuffer, so nothing more is delivered (rule 3.12)
            onContext(() -> {
                subscriber = null;
                if (!terminated) {
                    detach();
                }
            });
        }
    }

    private enum NoopSubscription implements Flow.Subscription {
        INSTANCE;

        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
    }
}
