package io.smcvertx.handlers.internal.builtin;

import io.smcvertx.handlers.ConnectionInfo;
import io.smcvertx.handlers.internal.splice.Splice;
import io.smcvertx.handlers.internal.splice.SplicedConnection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.net.StreamChannelInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger.Level;

/**
 * One relayed connection on the splice path: the client's buffers go to the upstream socket and
 * back without a copy (the relay never looks at the bytes). The same lifecycle as the Frame path:
 * the client's reads wait for the upstream connection; either side's end (after all it sent was
 * handed on) ends the other, flushing what is queued; a failed connect closes the client with the
 * reason. Everything runs on the client socket's event loop.
 */
final class RelaySplice implements SplicedConnection, RelayHandler.Leg {

    private static final System.Logger LOG = System.getLogger(RelaySplice.class.getName());

    private final NetSocket down;
    private final ConnectionInfo info;
    private final RelayHandler relay;
    private final Splice toUp;
    private final Promise<Void> closed = Promise.promise();
    private Splice toDown;
    private NetSocket up;
    private boolean downEnded;
    private volatile Throwable failure;

    private RelaySplice(NetSocket down, ConnectionInfo info, RelayHandler relay) {
        this.down = down;
        this.info = info;
        this.relay = relay;
        this.toUp = new Splice((StreamChannelInternal) down);
    }

    /** Starts relaying {@code down} (a {@link StreamChannelInternal}) to a new upstream connection. */
    static RelaySplice start(NetSocket down, ConnectionInfo info, RelayHandler relay, NetClient client, String host, int port) {
        RelaySplice r = new RelaySplice(down, info, relay);
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
        upstream.endHandler(v -> down.end()); // all of upstream's bytes handed to the client: finish it
        upstream.closeHandler(v -> {
            toUp.outGone();
            relay.legClosed(this);
        });
        toDown.connect((StreamChannelInternal) down);
        toUp.connect(upChannel);
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
        if (up != null) {
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
        return down.close();
    }

    @Override
    public long bytesRead() {
        return toUp.bytesRead();
    }

    @Override
    public long bytesWritten() {
        Splice s = toDown;
        return s == null ? 0 : s.bytesWritten();
    }

    @Override
    public long bufferedBytes() {
        Splice s = toDown;
        return s == null ? 0 : s.bufferedBytes();
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
