package io.smcvertx.handlers.internal.builtin;

import io.smcvertx.handlers.ConnectionInfo;
import io.smcvertx.handlers.internal.splice.Splice;
import io.smcvertx.handlers.internal.splice.SplicedConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.smcvertx.netty.splice.ChannelSplice;
import io.smcvertx.netty.splice.SplicePipesException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.net.StreamChannelInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;

/**
 * One relayed connection on the splice path: the client's buffers go to the upstream socket and
 * back without a copy (the relay never looks at the bytes). The same lifecycle as the Frame path:
 * the client's reads wait for the upstream connection; either side's end (after all it sent was
 * handed on) ends the other, flushing what is queued; a failed connect closes the client with the
 * reason. Everything runs on the client socket's event loop.
 *
 * <p>Where both sockets are native epoll sockets of one event loop (TCP, or AF_SMC under the SMC
 * transport) with nothing but Vert.x in their pipelines, and the relay was not configured
 * {@code splice: buffers}, the bytes do not enter the JVM heap: once upstream is connected both
 * channels leave Netty's loop ({@code deregister}) and {@link ChannelSplice} moves them with
 * {@code splice(2)}, starting with what was read before. Should either socket end while the
 * channels are being handed over, or the splice find no descriptors for its pipes, they go back
 * to the loop and the buffer splice carries on as it would have.
 */
final class RelaySplice implements SplicedConnection, RelayHandler.Leg {

    private static final System.Logger LOG = System.getLogger(RelaySplice.class.getName());
    /** Vert.x's pipeline end, which hands reads to the socket (not exported: named, not imported). */
    private static final String VERTX_HANDLER = "io.vertx.core.net.impl.VertxHandler";

    private final NetSocket down;
    private final ConnectionInfo info;
    private final RelayHandler relay;
    private final Splice toUp;
    private final Promise<Void> closed = Promise.promise();
    private final boolean kernelSplice;
    private final KernelStarter starter;
    private volatile boolean switching;
    private volatile boolean closeRequested;
    private boolean upEnded;
    private volatile ChannelSplice kernel;
    private Splice toDown;
    private NetSocket up;
    private boolean downEnded;
    private volatile Throwable failure;

    private RelaySplice(NetSocket down, ConnectionInfo info, RelayHandler relay, boolean kernelSplice, KernelStarter starter) {
        this.down = down;
        this.kernelSplice = kernelSplice;
        this.starter = starter;
        this.info = info;
        this.relay = relay;
        this.toUp = new Splice((StreamChannelInternal) down);
    }

    /** Starts relaying {@code down} (a {@link StreamChannelInternal}) to a new upstream connection. */
    static RelaySplice start(NetSocket down, ConnectionInfo info, RelayHandler relay, NetClient client, String host, int port,
            boolean kernelSplice, KernelStarter starter) {
        RelaySplice r = new RelaySplice(down, info, relay, kernelSplice, starter);
        down.endHandler(v -> r.downEnded());
        down.closeHandler(v -> r.downClosed());
        client.connect(port, host).onComplete(ar -> {
            if (ar.succeeded()) {
                r.connected(ar.result());
            } else {
                r.failed(ar.cause());
            }
        });
        return r;
    }

    private void connected(NetSocket upstream) {
        if (downEnded) {
            upstream.close(); // the client left while connecting: nothing to relay
            return;
        }
        if (!(upstream instanceof StreamChannelInternal upChannel)) {
            upstream.close(); // Vert.x's NetClient makes none such; a guard, not a path
            failed(new IllegalStateException("the relay's upstream socket is not a Vert.x stream channel"));
            return;
        }
        up = upstream;
        toDown = new Splice(upChannel);
        relay.legs.add(this);
        upstream.endHandler(v -> upEnded());
        upstream.closeHandler(v -> {
            toUp.outGone();
            relay.legClosed(this);
        });
        Channel downCh = ((StreamChannelInternal) down).channelHandlerContext().channel();
        Channel upCh = upChannel.channelHandlerContext().channel();
        if (kernelSplice && onlyVertx(downCh) && onlyVertx(upCh) && ChannelSplice.canSplice(downCh, upCh)) {
            handOver(downCh, upCh, upChannel);
        } else {
            buffers(upChannel);
        }
    }

    /**
     * Whether nothing in {@code ch}'s pipeline but Vert.x's own handlers sees the bytes: its
     * pipeline end, the initializer still running, and the {@link ChunkedWriteHandler} it adds
     * where the transport has no file regions (the SMC transport), which passes buffers through
     * as they are. A kernel splice bypasses the pipeline: TLS would be sent encrypted as it is, an
     * idle timer would close a busy connection, a logger or a shaper would see nothing. Such a
     * socket keeps the buffer splice.
     */
    private static boolean onlyVertx(Channel ch) {
        for (Map.Entry<String, ChannelHandler> e : ch.pipeline()) {
            ChannelHandler h = e.getValue();
            if (!(h instanceof ChannelInitializer<?>) && !(h instanceof ChunkedWriteHandler)
                    && !VERTX_HANDLER.equals(h.getClass().getName())) {
                LOG.log(Level.DEBUG, "relay {0} -> {1}: the buffer splice, since {2} ({3}) is in the pipeline",
                        ch.remoteAddress(), ch.localAddress(), e.getKey(), h.getClass().getName());
                return false;
            }
        }
        return true;
    }

    private void buffers(StreamChannelInternal upChannel) {
        toDown.connect((StreamChannelInternal) down);
        toUp.connect(upChannel);
        if (downEnded) {
            up.end(); // the client ended while the channels were being handed over
        }
        if (upEnded) {
            down.end();
        }
    }

    /**
     * Takes both channels off Netty's loop and splices them in the kernel. Until they are off, Netty
     * may still read one at its peer's end (it reads past a stopped autoRead then, to find the
     * end): half-closure keeps such a socket open (input shut, which Vert.x 5 ignores) and what
     * was read is held, so the splice starts with those bytes and that end.
     */
    private void handOver(Channel downCh, Channel upCh, StreamChannelInternal upChannel) {
        switching = true;
        EventLoop loop = downCh.eventLoop();
        halfClosure(downCh, upCh, true);
        downCh.deregister().addListener(f1 -> upCh.deregister().addListener(f2 -> {
            switching = false;
            if (closeRequested) { // close() came during the hand-over: close both, through their pipelines
                backToLoop(loop, downCh).addListener(r1 -> backToLoop(loop, upCh).addListener(r2 -> {
                    downCh.close();
                    upCh.close();
                }));
                return;
            }
            if (f1.isSuccess() && f2.isSuccess() && downCh.isOpen() && upCh.isOpen() && !downEnded && !upEnded
                    && startKernel(downCh, upCh)) {
                return;
            }
            // a socket closed in between (a reset), or no pipes: back to the loop, and on as the buffer splice goes
            halfClosure(downCh, upCh, false);
            backToLoop(loop, downCh).addListener(r1 -> backToLoop(loop, upCh).addListener(r2 -> {
                downEnded |= inputShut(downCh); // ends Vert.x was not told of (half-closure)
                upEnded |= inputShut(upCh);
                buffers(upChannel);
            }));
        }));
    }

    private static void halfClosure(Channel a, Channel b, boolean on) {
        a.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, on);
        b.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, on);
    }

    private static boolean inputShut(Channel ch) {
        return ch.isOpen() && ch instanceof DuplexChannel d && d.isInputShutdown();
    }

    /** Starts the kernel splice; false if it has no pipes (out of descriptors), with nothing changed. */
    private boolean startKernel(Channel downCh, Channel upCh) {
        List<ByteBuf> owedUp = toUp.takeHeld();
        List<ByteBuf> owedDown = toDown.takeHeld();
        ChannelSplice k;
        try {
            k = starter.start(downCh, upCh, owedUp, owedDown);
        } catch (SplicePipesException e) {
            // a kernel splice holds four descriptors more than the buffer splice, which needs none
            LOG.log(Level.DEBUG, "relay {0} -> {1}: the buffer splice, since {2}",
                    info.remoteAddress(), info.localAddress(), e.getMessage());
            toUp.giveBack(owedUp);
            toDown.giveBack(owedDown);
            return false;
        }
        kernel = k;
        k.done().addListener(f -> {
            if (!f.isSuccess()) {
                LOG.log(Level.DEBUG, "relay splice of {0} -> {1} ended: {2} ({3})",
                        info.remoteAddress(), info.localAddress(), f.cause().toString(), k);
            }
        });
        return true;
    }

    /** {@link ChannelSplice#start}: a seam for the test of the relay without pipes. */
    @FunctionalInterface
    interface KernelStarter {
        ChannelSplice start(Channel a, Channel b, List<ByteBuf> owedToB, List<ByteBuf> owedToA);
    }

    private static io.netty.util.concurrent.Future<?> backToLoop(EventLoop loop, Channel ch) {
        return ch.isOpen() && !ch.isRegistered() ? loop.register(ch) : loop.newSucceededFuture(null);
    }

    private void upEnded() {
        upEnded = true; // all of upstream's bytes were handed to the client: finish it
        if (!switching && kernel == null) {
            down.end();
        }
    }

    private void failed(Throwable cause) {
        failure = cause;
        LOG.log(Level.WARNING, "closing connection {0} -> {1}: relay upstream failed: {2}",
                info.remoteAddress(), info.localAddress(), cause.toString());
        toUp.outGone();
        down.close();
    }

    private void downEnded() {
        downEnded = true; // every byte the client sent was handed upstream before this
        if (up != null && !switching && kernel == null) {
            up.end();
        }
    }

    private void downClosed() {
        if (toDown != null) {
            toDown.outGone();
        }
        if (up == null) {
            toUp.outGone();
        }
        closed.tryComplete();
    }

    @Override
    public Future<Void> closed() {
        return closed.future();
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    public Future<Void> close() {
        ChannelSplice k = kernel;
        if (k != null) {
            k.close(); // the channels are off Netty's loop: the splice closes them through their pipelines
            return closed.future();
        }
        if (switching) {
            closeRequested = true;
            return closed.future();
        }
        return down.close();
    }

    @Override
    public long bytesRead() {
        ChannelSplice k = kernel;
        return toUp.bytesRead() + (k == null ? 0 : k.bytesAToB());
    }

    @Override
    public long bytesWritten() {
        Splice s = toDown;
        ChannelSplice k = kernel;
        return (s == null ? 0 : s.bytesWritten()) + (k == null ? 0 : k.bytesWrittenToA());
    }

    @Override
    public long bufferedBytes() {
        Splice s = toDown;
        ChannelSplice k = kernel;
        return (s == null ? 0 : s.bufferedBytes()) + (k == null ? 0 : k.bytesBToA() - k.bytesWrittenToA());
    }

    /** Whether the bytes move in the kernel ({@link ChannelSplice}) rather than through Netty's buffers. */
    boolean inKernel() {
        return kernel != null;
    }

    @Override
    public long maxBufferedBytes() {
        Splice s = toDown;
        return s == null ? 0 : s.maxBufferedBytes();
    }

    @Override
    public int pendingWrites() {
        Splice s = toDown;
        return s == null ? 0 : s.pendingWrites();
    }

    @Override
    public boolean isReadPaused() {
        return toUp.isPaused();
    }

    @Override
    public long upMaxBufferedBytes() {
        return toUp.maxBufferedBytes();
    }

    @Override
    public int upPendingWrites() {
        return toUp.pendingWrites();
    }

    @Override
    public boolean upReadPaused() {
        Splice s = toDown;
        return s != null && s.isPaused();
    }
}
