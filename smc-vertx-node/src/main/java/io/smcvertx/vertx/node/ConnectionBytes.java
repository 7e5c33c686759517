package io.smcvertx.vertx.node;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.smcvertx.netty.SmcConnectionTracker;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo.Side;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.vertx.SmcTransport;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TcpClientConfig;
import io.vertx.core.net.TcpServerConfig;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.TransportMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes read and written by the node's TCP connections (NetServer/NetClient, HTTP, the clustered
 * event bus), by SMC mode, through Vert.x's metrics SPI. Only the node installs it: a plain
 * {@link SmcTransport} user pays nothing.
 *
 * <p>Each connection's counts live in its own {@link Conn}, written only by its event loop
 * (Vert.x reports in 4 KiB steps and flushes at close), so there is no shared counter on the
 * data path. Modes are joined at scrape time: a connection is tied to its channel once, when
 * Vert.x reports it connected (found through the tracker's index by remote address, not by a
 * scan), and its mode is the kernel's word from the transport's tracker. Closed connections add
 * to per-mode totals once, at close.
 *
 * <p>The bytes are those Vert.x reports: NetSocket and event bus data (plaintext under TLS), and
 * on HTTP/1 connections what Vert.x counts itself (bodies, not headers); no TCP, TLS or CLC overhead.
 */
final class ConnectionBytes {

    private static final System.Logger LOG = System.getLogger(ConnectionBytes.class.getName());
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("smcvertx.node.bytesCounted");

    /** Bytes of one direction and mode. */
    record Totals(long read, long written) {
    }

    private final SmcConnectionTracker tracker;
    private final Set<Conn> open = ConcurrentHashMap.newKeySet();
    private final Map<ConnectionMode, LongAdder> closedRead = new EnumMap<>(ConnectionMode.class);
    private final Map<ConnectionMode, LongAdder> closedWritten = new EnumMap<>(ConnectionMode.class);
    private final LongAdder unattributed = new LongAdder();

    ConnectionBytes(SmcTransport transport) {
        this(transport.smc().tracker());
    }

    ConnectionBytes(SmcConnectionTracker tracker) {
        this.tracker = tracker;
        for (ConnectionMode m : ConnectionMode.values()) {
            closedRead.put(m, new LongAdder());
            closedWritten.put(m, new LongAdder());
        }
    }

    /** The factory for {@code Vertx.builder().withMetrics(...)}. */
    VertxMetricsFactory factory() {
        VertxMetrics metrics = new VertxMetrics() {
            @Override
            public TransportMetrics<?> createTcpServerMetrics(TcpServerConfig config, String protocol, SocketAddress localAddress) {
                int port = localAddress != null && localAddress.port() > 0 ? localAddress.port() : 0;
                return new Tcp(Side.SERVER, port);
            }

            @Override
            public TransportMetrics<?> createTcpClientMetrics(TcpClientConfig config, String protocol) {
                return new Tcp(Side.CLIENT, 0);
            }
        };
        return (VertxOptions options) -> metrics;
    }

    /** Bytes so far by mode: open connections' counts plus the totals of closed ones. */
    Map<ConnectionMode, Totals> byMode() {
        Map<ConnectionMode, long[]> sums = new EnumMap<>(ConnectionMode.class);
        for (ConnectionMode m : ConnectionMode.values()) {
            sums.put(m, new long[] {closedRead.get(m).sum(), closedWritten.get(m).sum()});
        }
        for (Conn c : open) {
            long[] s = sums.get(c.mode());
            s[0] += c.read;
            s[1] += c.written;
        }
        Map<ConnectionMode, Totals> out = new EnumMap<>(ConnectionMode.class);
        sums.forEach((m, s) -> out.put(m, new Totals(s[0], s[1])));
        return out;
    }

    /** Connections that could not be tied to one channel (their bytes count under {@link ConnectionMode#UNKNOWN}). */
    long unattributed() {
        return unattributed.sum();
    }

    /**
     * The channel Vert.x is reporting now: {@code connected} runs on that channel's event loop
     * while Vert.x sets it up, so it is the unclaimed channel of that side, remote address (and
     * listener port) on this thread. When two are still candidates (two connects to one server
     * completing in one loop turn), the one whose pipeline already has Vert.x's handler is it.
     */
    private CompletableFuture<SmcConnectionInfo> claim(Side side, SocketAddress remote, int localPort) {
        if (remote == null || remote.hostAddress() == null) {
            return null;
        }
        List<Channel> candidates = new ArrayList<>(2);
        // the tracker's channels to that remote address: one for an accepted connection, a pool's worth for a client
        for (Channel ch : tracker.channelsTo(new InetSocketAddress(remote.hostAddress(), remote.port()))) {
            // a tracked channel may not be registered yet (an accepted child on its way to its loop)
            if (ch.isRegistered() && ch.eventLoop().inEventLoop() && ch.attr(COUNTED).get() == null
                    && (side == Side.SERVER) == (ch.parent() != null)
                    && (localPort == 0 || ch.localAddress() instanceof InetSocketAddress l && l.getPort() == localPort)) {
                candidates.add(ch);
            }
        }
        if (candidates.size() > 1) {
            candidates.removeIf(ch -> ch.pipeline().get("handler") == null);
        }
        if (candidates.size() != 1) {
            return null;
        }
        Channel ch = candidates.get(0);
        ch.attr(COUNTED).set(Boolean.TRUE);
        return tracker.info(ch).toCompletableFuture();
    }

    /** One connection's counts; {@code read}/{@code written} have a single writer, its event loop. */
    static final class Conn {
        private final CompletableFuture<SmcConnectionInfo> info;
        volatile long read;
        volatile long written;

        Conn(CompletableFuture<SmcConnectionInfo> info) {
            this.info = info;
        }

        ConnectionMode mode() {
            SmcConnectionInfo i = info == null ? null : info.getNow(null);
            return i == null ? ConnectionMode.UNKNOWN : i.mode();
        }
    }

    private final class Tcp implements TransportMetrics<Conn> {
        private final Side side;
        private final int localPort;

        Tcp(Side side, int localPort) {
            this.side = side;
            this.localPort = localPort;
        }

        @Override
        public Conn connected(SocketAddress remoteAddress, String remoteName) {
            CompletableFuture<SmcConnectionInfo> info;
            try {
                info = claim(side, remoteAddress, localPort);
            } catch (RuntimeException e) {
                // counting must never cost a connection: Vert.x would close it
                LOG.log(System.Logger.Level.DEBUG, "cannot tie a connection to its channel: " + e);
                info = null;
            }
            if (info == null) {
                unattributed.increment();
            }
            Conn c = new Conn(info);
            open.add(c);
            return c;
        }

        @Override
        public void disconnected(Conn c, SocketAddress remoteAddress) {
            if (c != null && open.remove(c)) {
                ConnectionMode m = c.mode();
                closedRead.get(m).add(c.read);
                closedWritten.get(m).add(c.written);
            }
        }

        @Override
        @SuppressWarnings("NonAtomicOperationOnVolatileField")
        public void bytesRead(Conn c, SocketAddress remoteAddress, long numberOfBytes) {
            if (c != null) {
                c.read += numberOfBytes;
            }
        }

        @Override
        @SuppressWarnings("NonAtomicOperationOnVolatileField")
        public void bytesWritten(Conn c, SocketAddress remoteAddress, long numberOfBytes) {
            if (c != null) {
                c.written += numberOfBytes;
            }
        }
    }
}
