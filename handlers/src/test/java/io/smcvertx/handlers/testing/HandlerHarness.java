package io.smcvertx.handlers.testing;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smcvertx.handlers.ConnectionInfo;
import io.smcvertx.handlers.Frame;
import io.smcvertx.handlers.ProtocolHandler;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a {@link ProtocolHandler} without a socket, like Netty's {@code EmbeddedChannel}: push
 * reads in, then assert on what the handler wrote with Mutiny's {@link AssertSubscriber}.
 *
 * <pre>{@code
 * HandlerHarness h = HandlerHarness.of(handler);
 * h.pushUtf8("GET k\n").output().assertItems(Frame.ofUtf8("NOT_FOUND\n"));
 * }</pre>
 *
 * <p>Pushed frames wait in an unbounded queue until the handler requests them;
 * {@link #inputRequested()} shows how much it asked for, {@link #inputCancelled()} whether it
 * gave up its input.
 */
public final class HandlerHarness {

    private final UnicastProcessor<Frame> input = UnicastProcessor.create();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AssertSubscriber<Frame> output;

    private HandlerHarness(ProtocolHandler handler, ConnectionInfo info, long outputDemand) {
        Multi<Frame> in = input
                .onRequest().invoke(requested::addAndGet)
                .onCancellation().invoke(() -> cancelled.set(true));
        output = handler.handle(info, in).subscribe().withSubscriber(AssertSubscriber.create(outputDemand));
    }

    /** A harness with a loopback {@link ConnectionInfo} and unbounded output demand. */
    public static HandlerHarness of(ProtocolHandler handler) {
        return new HandlerHarness(handler, ConnectionInfo.loopback(), Long.MAX_VALUE);
    }

    /**
     * A harness with the given connection info and initial output demand (0 to play a reader
     * that has not read yet; raise it with {@code output().request(n)}).
     */
    public static HandlerHarness of(ProtocolHandler handler, ConnectionInfo info, long outputDemand) {
        return new HandlerHarness(handler, info, outputDemand);
    }

    /** Delivers frames as reads from the peer. */
    public HandlerHarness push(Frame... frames) {
        for (Frame f : frames) {
            input.onNext(f);
        }
        return this;
    }

    /** Delivers each array as one read. */
    public HandlerHarness pushBytes(byte[]... reads) {
        for (byte[] b : reads) {
            input.onNext(Frame.of(b));
        }
        return this;
    }

    /** Delivers each string (UTF-8) as one read. */
    public HandlerHarness pushUtf8(String... reads) {
        for (String s : reads) {
            input.onNext(Frame.ofUtf8(s));
        }
        return this;
    }

    /** The peer ends its side. */
    public HandlerHarness complete() {
        input.onComplete();
        return this;
    }

    /** The connection fails (e.g. a reset). */
    public HandlerHarness fail(Throwable failure) {
        input.onError(failure);
        return this;
    }

    /** The handler's output, for assertions. */
    public AssertSubscriber<Frame> output() {
        return output;
    }

    /** The frames written so far. */
    public List<Frame> frames() {
        return output.getItems();
    }

    /** All bytes written so far, in order. */
    public byte[] bytesOut() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : output.getItems()) {
            out.writeBytes(f.toByteArray());
        }
        return out.toByteArray();
    }

    /** All bytes written so far, as UTF-8. */
    public String utf8Out() {
        return new String(bytesOut(), StandardCharsets.UTF_8);
    }

    /** Total input demand the handler signalled. */
    public long inputRequested() {
        return requested.get();
    }

    /** Whether the handler cancelled its input. */
    public boolean inputCancelled() {
        return cancelled.get();
    }
}
