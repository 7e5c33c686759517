package io.smcvertx.handlers.codec;

import io.smallrye.mutiny.operators.AbstractMulti;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import io.smcvertx.handlers.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Runs a fresh {@link Framing.Decoder} per subscription over a publisher of raw reads.
 *
 * <p>A hand-written operator, not Mutiny's {@code concatMap} + {@code onCompletion().switchTo}:
 * those subscribe to the raw source only on the first request, so a failed source (a reset
 * connection) was never reported to a subscriber that had not requested yet, against Reactive
 * Streams rule 1.4 (found by the TCK). Here the source is subscribed at once, an error or the end
 * goes downstream as soon as no decoded frame waits, and the source is asked for one read at a
 * time, only while the subscriber has demand and nothing decoded is pending: so at most one
 * read's frames are ever buffered.
 *
 * <p>Every call on the source's subscription and every signal downstream happens inside
 * {@link Op#drain()}, which one thread at a time runs (rules 1.3, 2.7) and which a re-entrant
 * call (a synchronous source delivering from inside {@code request}) only marks for another
 * pass (rule 3.3).
 *
 * <p>It extends Mutiny's {@link AbstractMulti} rather than going through
 * {@code Multi.createFrom().publisher(..)}, whose wrapper accepts a {@code null} subscriber
 * instead of throwing (rule 1.9, also found by the TCK).
 */
final class DecodingMulti extends AbstractMulti<Frame> {

    private final Flow.Publisher<Frame> raw;
    private final Supplier<Framing.Decoder> decoders;

    DecodingMulti(Flow.Publisher<Frame> raw, Supplier<Framing.Decoder> decoders) {
        this.raw = Objects.requireNonNull(raw, "`raw` must not be `null`");
        this.decoders = Objects.requireNonNull(decoders, "`decoders` must not be `null`");
    }

    @Override
    public void subscribe(MultiSubscriber<? super Frame> subscriber) {
        Objects.requireNonNull(subscriber, "`subscriber` must not be `null`");
        raw.subscribe(new Op(subscriber, decoders.get()));
    }

    private static final class Op implements Flow.Subscriber<Frame>, Flow.Subscription {
        private final Framing.Decoder decoder;
        private final Queue<Frame> decoded = new ConcurrentLinkedQueue<>();
        private final AtomicLong requested = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private volatile Flow.Subscriber<? super Frame> downstream; // dropped once done (rule 3.13)
        private volatile Flow.Subscription upstream;
        private volatile boolean upstreamDone; // completed, failed, or to be cancelled after a framing error
        private volatile Throwable failure;
        private volatile boolean readOutstanding;
        private volatile boolean cancelled;
        private volatile boolean badRequest;
        private boolean upstreamCancelled; // only inside drain
        private boolean finished; // only inside drain

        Op(Flow.Subscriber<? super Frame> downstream, Framing.Decoder decoder) {
            this.downstream = downstream;
            this.decoder = decoder;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            Objects.requireNonNull(s, "`subscription` must not be `null`");
            if (upstream != null) {
                s.cancel();
                return;
            }
            upstream = s;
            downstream.onSubscribe(this);
            drain(); // an error or end that came in during onSubscribe
        }

        @Override
        public void onNext(Frame chunk) {
            Objects.requireNonNull(chunk, "`chunk` must not be `null`");
            if (upstreamDone) {
                return;
            }
            List<Frame> out = new ArrayList<>(2);
            try {
                decoder.feed(chunk, out);
            } catch (RuntimeException e) { // FramingException by contract; anything else is a decoder bug, same fate
                decoded.addAll(out); // the frames before the bad bytes still go first
                failure = e;
                upstreamDone = true; // drain cancels the source
            }
            if (!upstreamDone) {
                decoded.addAll(out);
            }
            readOutstanding = false;
            drain();
        }

        @Override
        public void onError(Throwable t) {
            Objects.requireNonNull(t, "`failure` must not be `null`");
            if (!upstreamDone) {
                failure = t;
                upstreamDone = true;
                drain();
            }
        }

        @Override
        public void onComplete() {
            if (upstreamDone) {
                return;
            }
            try {
                decoded.addAll(decoder.finish());
            } catch (RuntimeException e) {
                failure = e;
            }
            upstreamDone = true;
            drain();
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = true; // rule 3.9
            } else {
                requested.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            }
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
            drain();
        }

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                Flow.Subscription up = upstream;
                if (up != null && !finished) {
                    pass(up);
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }

        private void pass(Flow.Subscription up) {
            if (cancelled || badRequest) {
                Flow.Subscriber<? super Frame> d = downstream;
                finish(up);
                if (badRequest && !cancelled && d != null) {
                    d.onError(new IllegalArgumentException("`n` must be greater than zero (Reactive Streams rule 3.9)"));
                }
                return;
            }
            long r = requested.get();
            long emitted = 0;
            Frame f;
            while (emitted != r && !cancelled && (f = decoded.poll()) != null) {
                downstream.onNext(f);
                emitted++;
            }
            if (emitted != 0 && r != Long.MAX_VALUE) {
                r = requested.addAndGet(-emitted);
            }
            if (cancelled) {
                return; // the next pass (cancel() called drain) cleans up
            }
            if (decoded.isEmpty() && upstreamDone) {
                Flow.Subscriber<? super Frame> d = downstream;
                Throwable t = failure;
                finish(up); // a framing error leaves the source running; after its own end the cancel is a no-op (rule 3.7)
                if (t == null) {
                    d.onComplete();
                } else {
                    d.onError(t);
                }
                return;
            }
            if (r > 0 && decoded.isEmpty() && !upstreamDone && !readOutstanding) {
                readOutstanding = true;
                up.request(1);
            }
        }

        private void finish(Flow.Subscription up) {
            finished = true;
            downstream = null;
            decoded.clear();
            if (!upstreamCancelled) {
                upstreamCancelled = true;
                up.cancel();
            }
        }
    }
}
