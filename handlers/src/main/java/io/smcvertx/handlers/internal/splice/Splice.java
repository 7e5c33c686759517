package io.smcvertx.handlers.internal.splice;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelConfig;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.internal.net.StreamChannelInternal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One direction of a splice: every buffer Netty reads from {@code in} is written to {@code out}
 * as it is, with no copy, and {@code in}'s channel stops reading while {@code out}'s write queue is
 * full.
 *
 * <p>Flow: {@code in} is never paused through Vert.x ({@code pause()} would park read buffers in
 * Vert.x's inbound queues, which 5.1.5 drops without releasing when the socket closes); its Netty
 * channel's {@code autoRead} is switched off instead, which ends the read loop after the buffer in
 * hand, so nothing is ever queued on the way in but what this class holds itself (the reads of one
 * loop that arrive before {@code out} exists). Vert.x's own view of {@code autoRead} stays on,
 * since its queues never fill, so it never switches it back behind our back.
 *
 * <p>Ownership: a buffer read is ours until {@code writeMessage} takes it (Netty releases it once
 * written, or when its write fails). Vert.x 5.1.5 cancels a write still queued when the socket
 * closes without releasing its buffer; that failure is {@link NetSocketInternal#CLOSED_EXCEPTION},
 * and then the buffer is released here. Once {@code out} is gone (or never came), buffers read are
 * released at once. Both sockets share one event loop (the relay connects upstream from the
 * client's context), where every method runs; the counters are volatile only for metrics.
 */
public final class Splice {

    private final StreamChannelInternal in;
    private final ChannelConfig inConfig;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>(2);
    private StreamChannelInternal out;
    private boolean outGone;
    private volatile boolean paused;
    private volatile long bytesRead;
    private volatile long bytesWritten;
    private volatile long buffered;
    private volatile long maxBuffered;
    private volatile int pendingWrites;

    /**
     * Takes over {@code in}'s reads (its {@code handler} is no longer called) and stops them until
     * {@link #connect} names where they go.
     */
    public Splice(StreamChannelInternal in) {
        this.in = in;
        this.inConfig = in.channelHandlerContext().channel().config();
        in.messageHandler(this::onMessage);
        reading(false);
        // a socket bound after an asynchronous lookup arrives paused (see ConnectionPipe), with what
        // it read meanwhile queued in Vert.x: unbounded demand delivers that here (held until
        // connect); from now on the channel's autoRead alone governs the flow
        in.resume();
    }

    /** Starts moving {@code in}'s buffers to {@code target}. */
    public void connect(StreamChannelInternal target) {
        this.out = target;
        target.drainHandler(v -> {
            if (paused && !outGone) {
                reading(true);
            }
        });
        ByteBuf b;
        while ((b = held.poll()) != null) {
            forward(target, b);
        }
        if (!target.writeQueueFull()) {
            reading(true);
        }
    }

    /**
     * Hands over what {@code in} delivered before {@link #connect} (the caller now owns those
     * buffers), for a splice that moves the bytes itself.
     */
    public List<ByteBuf> takeHeld() {
        List<ByteBuf> taken = new ArrayList<>(held);
        held.clear();
        return taken;
    }

    /** Takes back what {@link #takeHeld} handed over, unused (the bytes then move through {@link #connect}). */
    public void giveBack(List<ByteBuf> taken) {
        for (int i = taken.size() - 1; i >= 0; i--) {
            held.addFirst(taken.get(i));
        }
    }

    /** {@code out} closed or will never come: from now on what {@code in} delivers is released. */
    public void outGone() {
        outGone = true;
        ByteBuf b;
        while ((b = held.poll()) != null) {
            b.release();
        }
        reading(true); // nothing waits for out any more: let in's reads (and its end) through
    }

    private void reading(boolean on) {
        paused = !on;
        inConfig.setAutoRead(on);
    }

    private void onMessage(Object msg) {
        ByteBuf buf;
        if (msg instanceof ByteBuf b) {
            buf = b;
        } else if (msg instanceof Buffer b) {
            buf = ((BufferInternal) b).getByteBuf(); // read before the splice took over: Vert.x's heap copy
        } else {
            ReferenceCountUtil.release(msg);
            return;
        }
        StreamChannelInternal target = out;
        if (outGone) {
            buf.release();
        } else if (target == null) {
            held.add(buf); // read in the loop that was under way when reading stopped
            // and stop again: resuming a socket bound paused lets Vert.x, once its queue has drained,
            // switch autoRead back on (VertxConnection.checkAutoRead), which would feed `held` for
            // as long as the upstream connect takes
            reading(false);
        } else {
            forward(target, buf);
        }
    }

    private void forward(StreamChannelInternal target, ByteBuf buf) {
        int n = buf.readableBytes();
        bytesRead += n;
        long b = buffered + n;
        buffered = b;
        if (b > maxBuffered) {
            maxBuffered = b;
        }
        pendingWrites++;
        target.writeMessage(buf).onComplete(ar -> {
            buffered -= n;
            pendingWrites--;
            if (ar.succeeded()) {
                bytesWritten += n;
            } else if (ar.cause() == NetSocketInternal.CLOSED_EXCEPTION) {
                buf.release(); // cancelled in Vert.x's queue: Netty never had it
            }
        });
        if (!paused && target.writeQueueFull()) {
            reading(false);
        }
    }

    /** Bytes read from {@code in}. */
    public long bytesRead() {
        return bytesRead;
    }

    /** Bytes {@code out} has written. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Bytes handed to {@code out} and not yet written. */
    public long bufferedBytes() {
        return buffered;
    }

    /** The highest {@link #bufferedBytes()} so far. */
    public long maxBufferedBytes() {
        return maxBuffered;
    }

    /** Writes handed to {@code out} that have not completed. */
    public int pendingWrites() {
        return pendingWrites;
    }

    /** Whether {@code in}'s reading is stopped (waiting for {@code out} to drain, or to exist). */
    public boolean isPaused() {
        return paused;
    }
}
