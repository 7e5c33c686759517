package io.smcvertx.handlers;

import io.smallrye.mutiny.Multi;
import io.smcvertx.handlers.bridge.ReadStreamPublisher;
import io.smcvertx.handlers.bridge.WriteStreamSubscriber;
import io.smcvertx.handlers.codec.FramingException;
import io.smcvertx.handlers.internal.splice.SpliceHandler;
import io.smcvertx.handlers.internal.splice.SplicedConnection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * Runs a {@link ProtocolHandler} on one {@link NetSocket}: the socket's reads become the
 * handler's input, the handler's output is written back, with backpressure both ways.
 *
 * <p>Lifecycle: output completes → the socket is ended (flushed, then closed); output fails
 * (a {@link FramingException}, a handler error, a failed write) → the reason is logged and the
 * socket closed; the socket closes (peer gone) → the input completes and the output is
 * cancelled. Only that socket is affected, never the listener.
 *
 * <p>A built-in handler that never looks at the bytes (the relay) may take the socket over below
 * the SPI and move Netty's buffers without a copy; the lifecycle and the counters here are the same.
 *
 * <pre>{@code
 * ProtocolHandler handler = ProtocolHandlers.load().create(HandlerConfig.fromJson(json, vertx));
 * netServer.connectHandler(socket -> ConnectionPipe.bind(socket, handler, ConnectionInfo.of(socket)));
 * }</pre>
 */
public final class ConnectionPipe {

    private static final System.Logger LOG = System.getLogger(ConnectionPipe.class.getName());

    private final NetSocket socket;
    private final ConnectionInfo info;
    private final ReadStreamPublisher reader;
    private final WriteStreamSubscriber writer;
    private final SplicedConnection spliced;
    private final Promise<Void> closed = Promise.promise();
    private volatile Throwable failure;

    private ConnectionPipe(NetSocket socket, Context context, ConnectionInfo info) {
        this.socket = socket;
        this.info = info;
        this.reader = new ReadStreamPublisher(socket, context);
        this.writer = new WriteStreamSubscriber(socket);
        this.spliced = null;
    }

    private ConnectionPipe(NetSocket socket, ConnectionInfo info, SplicedConnection spliced) {
        this.socket = socket;
        this.info = info;
        this.reader = null;
        this.writer = null;
        this.spliced = spliced;
        spliced.closed().onComplete(ar -> closed.tryComplete());
    }

    /**
     * Binds {@code handler} to {@code socket}. Returns at once: nothing here blocks.
     *
     * @param socket a freshly accepted or connected socket whose handlers nobody else set
     * @param handler the handler; its {@link ProtocolHandler#handle} is called right away
     * @param info the connection's addresses and SMC info
     * @throws IllegalStateException if not called on a Vert.x context (call it from the
     *     socket's connect handler)
     */
    public static ConnectionPipe bind(NetSocket socket, ProtocolHandler handler, ConnectionInfo info) {
        Objects.requireNonNull(socket, "`socket` must not be `null`");
        Objects.requireNonNull(handler, "`handler` must not be `null`");
        Objects.requireNonNull(info, "`info` must not be `null`");
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("ConnectionPipe.bind must run on the socket's Vert.x context (its connect handler)");
        }
        if (handler instanceof SpliceHandler splicer) {
            SplicedConnection spliced = splicer.splice(socket, info);
            if (spliced != null) {
                return new ConnectionPipe(socket, info, spliced);
            }
        }
        ConnectionPipe pipe = new ConnectionPipe(socket, context, info);
        pipe.start(handler);
        return pipe;
    }

    private void start(ProtocolHandler handler) {
        socket.closeHandler(v -> {
            try {
                reader.streamClosed();
                writer.cancel();
            } finally {
                closed.tryComplete();
            }
        });
        writer.completion().onComplete(ar -> {
            if (ar.succeeded()) {
                socket.end();
            } else if (!(ar.cause() instanceof CancellationException)) {
                failure = ar.cause();
                log(ar.cause());
                socket.close();
            }
        });
        Multi<Frame> output;
        try {
            output = Objects.requireNonNull(handler.handle(info, Multi.createFrom().publisher(reader)),
                    "the handler returned a `null` output");
        } catch (RuntimeException e) {
            output = Multi.createFrom().failure(e);
        }
        output.subscribe().withSubscriber(writer);
    }

    private void log(Throwable cause) {
        if (cause instanceof FramingException) {
            LOG.log(Level.WARNING, "closing connection {0} -> {1}: {2}",
                    info.remoteAddress(), info.localAddress(), cause.getMessage());
        } else {
            LOG.log(Level.WARNING, "closing connection " + info.remoteAddress() + " -> " + info.localAddress()
                    + ": handler failed: " + cause, cause);
        }
    }

    /** The connection's info as given to the handler. */
    public ConnectionInfo info() {
        return info;
    }

    /** Completes when the socket has closed, for whatever reason. */
    public Future<Void> closed() {
        return closed.future();
    }

    /** Whether the socket has closed. */
    public boolean isClosed() {
        return closed.future().isComplete();
    }

    /** Why the connection was closed by this side, if it failed (framing, handler or write error). */
    public Throwable failure() {
        return spliced != null ? spliced.failure() : failure;
    }

    /** Closes the connection now: the output is cancelled and the socket closed. */
    public Future<Void> close() {
        if (spliced != null) {
            return spliced.close();
        }
        writer.cancel();
        return socket.close();
    }

    /** Bytes handed to the socket and not yet written: the bridge's own buffering. */
    public long bufferedBytes() {
        return spliced != null ? spliced.bufferedBytes() : writer.bufferedBytes();
    }

    /** The highest {@link #bufferedBytes()} seen on this connection. */
    public long maxBufferedBytes() {
        return spliced != null ? spliced.maxBufferedBytes() : writer.maxBufferedBytes();
    }

    /** Writes handed to the socket that have not completed. */
    public int pendingWrites() {
        return spliced != null ? spliced.pendingWrites() : writer.pendingWrites();
    }

    /** Bytes read from the socket and handed to the handler. */
    public long bytesRead() {
        return spliced != null ? spliced.bytesRead() : reader.bytesRead();
    }

    /** Bytes written to the socket. */
    public long bytesWritten() {
        return spliced != null ? spliced.bytesWritten() : writer.bytesWritten();
    }

    /** Whether the socket's reading is paused waiting for the handler's demand (see {@link ReadStreamPublisher#isPausedForDemand()}). */
    public boolean isReadPausedForDemand() {
        return spliced != null ? spliced.isReadPaused() : reader.isPausedForDemand();
    }
}
