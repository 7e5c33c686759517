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
 *
 * <p>Requests come from the upstream's thread (onNext) and from the stream's (write completions,
 * drain): they go through one serializing loop, so calls on the subscription never overlap
 * (Reactive Streams rule 2.7) and a synchronous upstream does not recurse (rule 3.3). Checked
 * with the Reactive Streams TCK ({@code WriteStreamSubscriberTckTest}).
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
    // signals to the subscription, serialized by `wip` (see drainSignals)
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicLong requestsToSend = new AtomicLong();
    private volatile boolean cancelToSend;
    private boolean cancelSent; // only inside drainSignals

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
        requestOne();
    }

    @Override
    public void onNext(Frame frame) {
        Objects.requireNonNull(frame, "`frame` must not be `null`"); // rule 2.13
        if (done.get()) {
            return;
        }
        int n = frame.size();
        long buffered = bufferedBytes.addAndGet(n);
        maxBufferedBytes.accumulateAndGet(buffered, Math::max);
        pendingWrites.incrementAndGet();
        // no copy out: the frame is immutable and the view read-only (each chunk was already copied in once)
        stream.write(frame.asReadOnlyBuffer()).onComplete(ar -> {
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
        if (!done.get()) {
            requestsToSend.incrementAndGet();
            drainSignals();
        }
    }

    /**
     * Sends the pending request or cancel. Whoever finds the loop idle runs it; a caller that
     * finds it busy (another thread, or a re-entrant onNext from inside {@code request}) leaves
     * its signal for the running loop.
     */
    private void drainSignals() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            Flow.Subscription s = subscription.get();
            if (s != null) {
                if (cancelToSend) {
                    requestsToSend.set(0);
                    if (!cancelSent) {
                        cancelSent = true;
                        s.cancel();
                    }
                } else {
                    long n = requestsToSend.getAndSet(0);
                    if (n > 0) {
                        s.request(n);
                    }
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    @Override
    public void onError(Throwable failure) {
        Objects.requireNonNull(failure, "`failure` must not be `null`"); // rule 2.13
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
            cancelToSend = true;
            drainSignals();
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
