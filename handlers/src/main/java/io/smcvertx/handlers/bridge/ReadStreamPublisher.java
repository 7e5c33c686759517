package io.smcvertx.handlers.bridge;

import io.smallrye.mutiny.Multi;
import io.smcvertx.handlers.Frame;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
 * on the peer) while the subscriber is slow: this bridge itself holds no data. Stream calls are
 * made on the stream's {@link Context}; requests from other threads hop onto it.
 *
 * <p>On cancellation the stream is detached and resumed with a discarding handler, so it is
 * never left paused with nobody to fetch; the owner (e.g. {@code ConnectionPipe}) usually
 * closes it as well.
 */
public final class ReadStreamPublisher implements Flow.Publisher<Frame> {

    private final ReadStream<Buffer> stream;
    private final Context context;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private volatile boolean cancelled;
    private volatile Flow.Subscriber<? super Frame> subscriber;

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
        subscriber = s;
        onContext(() -> {
            stream.handler(this::onBuffer);
            stream.endHandler(v -> terminate(null));
            stream.exceptionHandler(this::terminate);
        });
        s.onSubscribe(new Subscription());
    }

    private void onBuffer(Buffer buffer) {
        if (cancelled || terminated.get()) {
            return;
        }
        outstanding.decrementAndGet();
        bytesRead.addAndGet(buffer.length());
        subscriber.onNext(Frame.of(buffer));
    }

    private void terminate(Throwable failure) {
        if (!terminated.compareAndSet(false, true) || cancelled) {
            return;
        }
        Flow.Subscriber<? super Frame> s = subscriber;
        if (s == null) {
            return; // closed before anyone subscribed: nothing to tell
        }
        if (failure == null) {
            s.onComplete();
        } else {
            s.onError(failure);
        }
    }

    private void detach() {
        onContext(() -> {
            stream.exceptionHandler(t -> { });
            stream.endHandler(null);
            stream.handler(b -> { });
            stream.resume();
        });
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
        terminate(null);
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
        return subscribed.get() && !cancelled && !terminated.get() && outstanding.get() <= 0;
    }

    /** Whether the subscriber cancelled. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** Whether the stream ended, failed or was closed. */
    public boolean isTerminated() {
        return terminated.get();
    }

    /** Bytes delivered to the subscriber. */
    public long bytesRead() {
        return bytesRead.get();
    }

    private final class Subscription implements Flow.Subscription {
        @Override
        public void request(long n) {
            if (cancelled || terminated.get()) {
                return;
            }
            if (n <= 0) {
                cancel();
                terminated.set(true);
                subscriber.onError(new IllegalArgumentException("`n` must be greater than zero, got: " + n));
                return;
            }
            outstanding.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            onContext(() -> {
                if (!cancelled && !terminated.get()) {
                    stream.fetch(n);
                }
            });
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            detach();
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
