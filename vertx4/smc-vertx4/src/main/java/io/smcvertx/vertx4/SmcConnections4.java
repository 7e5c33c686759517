package io.smcvertx.vertx4;

import io.netty.channel.Channel;
import io.smcvertx.netty.Addresses;
import io.smcvertx.netty.SmcConnectionTracker;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the kernel says about a Vert.x 4.5 connection (mode, fallback reason), looked up by its
 * Netty channel: Vert.x 4.5's connections (HTTP and net sockets) are {@code ConnectionBase}s that
 * expose it, so no address matching is needed (a request's addresses may be rewritten by forwarded
 * headers). Other connections are matched by their socket addresses.
 */
public final class SmcConnections4 {

    private final SmcConnectionTracker tracker;

    /** A view over {@code tracker} (usually {@code transport.smc().tracker()}). */
    public SmcConnections4(SmcConnectionTracker tracker) {
        this.tracker = Objects.requireNonNull(tracker, "`tracker` must not be `null`");
    }

    /** What the kernel says about this HTTP connection's socket. */
    public CompletionStage<SmcConnectionInfo> info(HttpConnection connection) {
        Objects.requireNonNull(connection, "`connection` must not be `null`");
        if (connection instanceof ConnectionBase base) {
            return info(base.channel());
        }
        return info(connection.localAddress(), connection.remoteAddress());
    }

    /** What the kernel says about this socket's connection. */
    public CompletionStage<SmcConnectionInfo> info(NetSocket socket) {
        Objects.requireNonNull(socket, "`socket` must not be `null`");
        if (socket instanceof ConnectionBase base) {
            return info(base.channel());
        }
        return info(socket.localAddress(), socket.remoteAddress());
    }

    /** What the kernel says about this channel's connection. */
    public CompletionStage<SmcConnectionInfo> info(Channel channel) {
        return tracker.info(Objects.requireNonNull(channel, "`channel` must not be `null`"));
    }

    /** The tracker behind this view. */
    public SmcConnectionTracker tracker() {
        return tracker;
    }

    private CompletionStage<SmcConnectionInfo> info(SocketAddress local, SocketAddress remote) {
        if (local == null || remote == null || local.hostAddress() == null || remote.hostAddress() == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not an IP connection: " + local + " / " + remote));
        }
        InetSocketAddress l = new InetSocketAddress(local.hostAddress(), local.port());
        InetSocketAddress r = new InetSocketAddress(remote.hostAddress(), remote.port());
        return tracker.find(l, r).map(tracker::info)
                .orElseGet(() -> CompletableFuture.failedFuture(new IllegalStateException(
                        "no open connection " + Addresses.hostPort(l) + " - " + Addresses.hostPort(r) + " made by this transport")));
    }
}
