package io.smcvertx.handlers.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.handlers.Frame;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rule 2.7, which the TCK leaves untested: {@link WriteStreamSubscriber} requests from the
 * upstream's thread (in onNext) and from the stream's (write completions and drain), and those
 * calls must never overlap. The subscription here counts calls in progress and holds each one
 * open a little after handing out the demand, so an overlap would be seen (the bridge before
 * its serializing loop fails this).
 */
class WriteStreamSubscriberSerialTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void withAWriteQueueOfTwoDrainsAndOnNextRequestFromDifferentThreads() throws Exception {
        run(2, 400);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anItemDeliveredBeforeTheFirstRequestReturnedDoesNotRequestConcurrently() throws Exception {
        run(100_000, 50); // the queue is never full: the upstream requests in onNext, racing the first request's return
    }

    private void run(int maxQueued, int frames) throws Exception {
        Context context = vertx.getOrCreateContext();
        QueueingWriteStream stream = new QueueingWriteStream(context, maxQueued);
        WriteStreamSubscriber writer = new WriteStreamSubscriber(stream);
        AtomicInteger inCall = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicLong demand = new AtomicLong();
        Semaphore demandSignal = new Semaphore(0);
        Thread[] upstream = new Thread[1];
        Flow.Subscription subscription = new Flow.Subscription() {
            @Override
            public void request(long n) {
                enter();
                demand.addAndGet(n);
                demandSignal.release();
                leave();
            }

            @Override
            public void cancel() {
                enter();
                leave();
            }

            private void enter() {
                if (inCall.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
            }

            private void leave() {
                // a call from outside the upstream's thread stays open 2 ms after handing out the demand:
                // the woken upstream delivers, and requests again, into it unless something serializes
                long until = System.nanoTime() + (Thread.currentThread() == upstream[0] ? 0 : 2_000_000);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                inCall.decrementAndGet();
            }
        };
        Frame frame = Frame.ofUtf8("0123456789");
        upstream[0] = Thread.ofPlatform().unstarted(() -> {
            for (int i = 0; i < frames; i++) {
                while (demand.get() == 0) {
                    try {
                        demandSignal.tryAcquire(10, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                demand.decrementAndGet();
                writer.onNext(frame);
            }
            writer.onComplete();
        });
        upstream[0].start(); // waits for demand
        writer.onSubscribe(subscription);
        upstream[0].join();
        writer.completion().await();
        // the stream completes writes in order on its context: a task queued now runs after the last one
        Promise<Void> writesDone = Promise.promise();
        context.runOnContext(v -> writesDone.complete());
        writesDone.future().await();
        assertThat(stream.bytesWritten()).isEqualTo((long) frames * frame.size());
        assertThat(overlaps.get()).as("overlapping calls on the subscription").isZero();
    }
}
