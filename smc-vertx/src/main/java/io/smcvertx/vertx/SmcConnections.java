package io.smcvertx.vertx;

import io.netty.channel.Channel;
import io.smcvertx.netty.Addresses;
import io.smcvertx.netty.SmcConnectionTracker;
import io.smcvertx.netty.SmcNetty;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.vertx.internal.SmcTransportSpi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The connections of a Vert.x instance that runs {@link SmcTransport}, and what the kernel says
 * about each: mode, fallback reason, peer diagnosis. A Vert.x-facing view of smc-netty's
 * {@link SmcConnectionTracker}.
 *
 * <pre>{@code
 * SmcConnections.of(vertx).info(socket).onSuccess(i -> log.info(i.logLine()));
 * }</pre>
 *
 * <p>Lookups run on the smc_diag reader's own executor, never on an event loop; the futures
 * complete on the caller's context. A {@link NetSocket} is found by its channel; an
 * {@link HttpConnection}, for which Vert.x 5 has no public route to its channel, by its
 * (local, remote) address pair, which the tracker indexes once per connection.
 */
public final class SmcConnections {

    private final Vertx vertx;
    private final SmcNetty smc;

    private SmcConnections(Vertx vertx, SmcNetty smc) {
        this.vertx = vertx;
        this.smc = smc;
    }

    /** The connections of {@code vertx}; fails when it was not built with {@link SmcTransport}. */
    public static SmcConnections of(Vertx vertx) {
        return find(vertx).orElseThrow(() -> new IllegalStateException(
                "this Vertx does not use SmcTransport: build it with Vertx.builder().withTransport(SmcTransport.create())"));
    }

    /** The connections of {@code vertx}, or empty when it does not use {@link SmcTransport}. */
    public static Optional<SmcConnections> find(Vertx vertx) {
        Objects.requireNonNull(vertx, "`vertx` must not be `null`");
        if (vertx instanceof VertxInternal vi && vi.transport() instanceof SmcTransportSpi spi) {
            return Optional.of(new SmcConnections(vertx, spi.smc()));
        }
        return Optional.empty();
    }

    /** What the kernel says about this socket's connection. */
    public Future<SmcConnectionInfo> info(NetSocket socket) {
        Objects.requireNonNull(socket, "`socket` must not be `null`");
        if (socket instanceof NetSocketInternal internal) {
            return info(internal.channelHandlerContext().channel());
        }
        return info(socket.localAddress(), socket.remoteAddress());
    }

    /** What the kernel says about this HTTP connection's socket. */
    public Future<SmcConnectionInfo> info(HttpConnection connection) {
        Objects.requireNonNull(connection, "`connection` must not be `null`");
        return info(connection.localAddress(), connection.remoteAddress());
    }

    private Future<SmcConnectionInfo> info(SocketAddress local, SocketAddress remote) {
        if (local == null || remote == null || local.hostAddress() == null || remote.hostAddress() == null) {
            return Future.failedFuture(new IllegalArgumentException("not an IP connection: " + local + " / " + remote));
        }
        InetSocketAddress l = new InetSocketAddress(local.hostAddress(), local.port());
        InetSocketAddress r = new InetSocketAddress(remote.hostAddress(), remote.port());
        return smc.tracker().find(l, r).map(this::info)
                .orElseGet(() -> Future.failedFuture(new IllegalStateException(
                        "no open connection " + Addresses.hostPort(l) + " - " + Addresses.hostPort(r) + " made by this transport")));
    }

    private Future<SmcConnectionInfo> info(Channel channel) {
        return Future.fromCompletionStage(smc.tracker().info(channel), vertx.getOrCreateContext());
    }

    /** The SMC layer's tracker behind this view (counters, lookups by channel or address). */
    public SmcConnectionTracker tracker() {
        return smc.tracker();
    }

    /** Every open connection as known now (pending lookups show as {@link ConnectionMode#UNKNOWN}). */
    public List<SmcConnectionInfo> open() {
        return smc.tracker().connections();
    }

    /** Open connections by mode. */
    public Map<ConnectionMode, Long> openByMode() {
        return smc.tracker().openByMode();
    }

    /** Connections classified since start, by mode. */
    public Map<ConnectionMode, Long> totalByMode() {
        return smc.tracker().classifiedByMode();
    }

    /** Fallbacks since start, by reason code ({@code 0x03010000} ...). */
    public Map<String, Long> fallbacksByReason() {
        return smc.tracker().fallbacksByReason();
    }

    /** Connections closed because SMC was required and the kernel left them on TCP, by reason. */
    public Map<String, Long> requiredClosedByReason() {
        return smc.tracker().requiredClosedByReason();
    }

    /** Listeners bound through the transport, address to how they listen ("SMC", "TCP (listener rule)", ...). */
    public Map<String, String> listeners() {
        return smc.tracker().listeners();
    }

    /** Whether TCP channels are SMC sockets. */
    public boolean smcAvailable() {
        return smc.smcSockets();
    }

    /** Why they are not, when they are not. */
    public Optional<String> smcUnavailabilityCause() {
        return smc.smcUnavailabilityCause();
    }

    /** Which Netty transport runs underneath (epoll or NIO) and why. */
    public String nettyTransportReason() {
        return smc.transportReason();
    }

    /** The policy in force. */
    public SmcPolicy policy() {
        return smc.policy();
    }
}
