package io.smcvertx.handlers.bridge;

import io.smcvertx.handlers.Frame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes a stream of frames to a Vert.x {@link WriteStream} with backpressure: it requests one
 * frame at a time, and while {@link WriteStream#writeQueueFull()} it requests nothing until the
 * {@link WriteStream#drainHandler drain handler} fires. So the bytes it has handed to Vert.x and
 * not yet seen written ({@link #bufferedBytes()}) stay within the write queue's size plus one
 * frame, however slow the peer.
 *
 * <p>It never ends or closes the stream: {@link #completion()} says when the frames are done
 * (or failed, or were cancelled) and the owner decides.
 */
public final class WriteStreamSubscriber implements Flow.Subscriber<Frame> {

    private final WriteStream<Buffer> stream;
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private final AtomicBoolean waitingForDrain = new AtomicBoolean();
    private final AtomicBoolean done = new AtomicBoolean();
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final AtomicLong maxBufferedBytes = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicInteger pendingWrites = new AtomicInteger();
    private final Promise<Void> completion = Promise.promise();

    /** A subscriber writing to {@code stream}; it takes over the stream's drain handler. */
    public WriteStreamSubscriber(WriteStream<Buffer> stream) {
        this.stream = Objects.requireNonNull(stream, "`stream` must not be `null`");
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        Objects.requireNonNull(s, "`subscription` must not be `null`");
        if (!subscription.compareAndSet(null, s)) {
            s.cancel();
            return;
        }
        if (done.get()) { // cancelled before the upstream arrived
            s.cancel();
            return;
        }
        stream.drainHandler(v -> {
            if (waitingForDrain.compareAndSet(true, false)) {
                requestOne();
            }
        });
        s.request(1);
    }

    @Override
    public void onNext(Frame frame) {
        if (done.get()) {
            return;
        }
        int n = frame.size();
        long buffered = bufferedBytes.addAndGet(n);
        maxBufferedBytes.accumulateAndGet(buffered, Math::max);
        pendingWrites.incrementAndGet();
        stream.write(frame.toBuffer()).onComplete(ar -> {
            bufferedBytes.addAndGet(-n);
            pendingWrites.decrementAndGet();
            if (ar.succeeded()) {
                bytesWritten.addAndGet(n);
                // Vert.x can leave the queue writable without a drain event when a write drains it
                // re-entrantly; a completed write is a second chance to notice, so a drain is never lost
                if (waitingForDrain.get() && !stream.writeQueueFull() && waitingForDrain.compareAndSet(true, false)) {
                    requestOne();
                }
            } else {
                fail(ar.cause());
            }
        });
        if (!stream.writeQueueFull()) {
            requestOne();
            return;
        }
        waitingForDrain.set(true);
        // the queue may have drained between the check and the flag: do not wait for a drain that already happened
        if (!stream.writeQueueFull() && waitingForDrain.compareAndSet(true, false)) {
            requestOne();
        }
    }

    private void requestOne() {
        Flow.Subscription s = subscription.get();
        if (s != null && !done.get()) {
            s.request(1);
        }
    }

    @Override
    public void onError(Throwable failure) {
        if (done.compareAndSet(false, true)) {
            completion.tryFail(failure);
        }
    }

    @Override
    public void onComplete() {
        if (done.compareAndSet(false, true)) {
            completion.tryComplete();
        }
    }

    private void fail(Throwable failure) {
        if (done.compareAndSet(false, true)) {
            Flow.Subscription s = subscription.get();
            if (s != null) {
                s.cancel();
            }
            completion.tryFail(failure);
        }
    }

    /**
     * Cancels the upstream (the peer went away, or the owner gives up); {@link #completion()}
     * fails with a {@link CancellationException} unless it was already done.
     */
    public void cancel() {
        fail(new CancellationException("write side cancelled"));
        stream.drainHandler(null);
    }

    /**
     * Completes when the upstream completed (the last frame is handed to the stream), fails when
     * the upstream or a write failed or on {@link #cancel()}.
     */
    public Future<Void> completion() {
        return completion.future();
    }

    /** Bytes handed to the stream whose write has not completed yet. */
    public long bufferedBytes() {
        return bufferedBytes.get();
    }

    /** The highest {@link #bufferedBytes()} seen. */
    public long maxBufferedBytes() {
        return maxBufferedBytes.get();
    }

    /** Writes handed to the stream that have not completed yet. */
    public int pendingWrites() {
        return pendingWrites.get();
    }

    /** Bytes whose write completed. */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    /** Whether it is waiting for the stream's drain handler. */
    public boolean isWaitingForDrain() {
        return waitingForDrain.get();
    }
}
