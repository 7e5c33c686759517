package io.smcvertx.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.smcvertx.transport.SmcMode;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo.Side;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.transport.diag.SmcConnectionStats;
import io.smcvertx.transport.diag.SmcSocketInfo;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every TCP connection an {@link SmcNetty} made or accepted, with the kernel's word on it once
 * known (mode, fallback reason, peer diagnosis), and the counters metrics read.
 *
 * <pre>{@code
 * SmcNetty smc = SmcNetty.create(SmcPolicy.DEFAULT);
 * ... new ServerBootstrap().group(group).channelFactory(smc.serverChannelFactory()) ...
 * smc.tracker().info(channel).thenAccept(i -> log.info(i.logLine()));   // in any handler
 * }</pre>
 *
 * <p>Work here happens once per connection (accept/connect and close), never per packet: one
 * {@code fstat} for the inode, one batched smc_diag lookup on the reader's own thread (never on
 * the event loop). Connections are kept in maps keyed by channel and by address pair: a lookup
 * never scans the open connections, and counters are updated as connections change, not counted
 * when read. In {@link SmcMode#REQUIRED} mode a connection the policy wanted on SMC but the kernel
 * left on TCP is closed, and counted by reason.
 */
public final class SmcConnectionTracker implements SmcConnectionStats {

    private static final System.Logger LOG = System.getLogger("io.smcvertx.netty.connections");

    /** CLC decline code the kernel records when an option SMC cannot carry forced TCP: how the policy says "TCP". */
    public static final int DECLINE_OPTUNSUPP = 0x03060000;

    /** The kernel's word on one socket, by inode: smc_diag, or a stand-in in tests. */
    @FunctionalInterface
    interface KernelLookup {
        CompletionStage<Optional<SmcSocketInfo>> lookup(long inode);

        /** The key smc_diag reports a channel's socket by ({@code fstat} of its descriptor). */
        default long inode(Channel channel) throws IOException {
            return SmcChannels.inode(channel);
        }
    }

    private final KernelLookup kernel;
    /** How long to wait before asking the kernel again about a socket it did not report. */
    private final long[] retryDelaysMillis;
    private final SmcMode mode;
    private final boolean smcSockets;
    private final String plainNote;
    private final Map<Channel, Tracked> open = new ConcurrentHashMap<>();
    /** "local remote" to channel: how an adapter finds a connection it knows only by its addresses. */
    private final Map<String, Channel> byAddresses = new ConcurrentHashMap<>();
    /** remote to the channels connected to it (usually one). */
    private final Map<String, Set<Channel>> byRemote = new ConcurrentHashMap<>();
    private final Map<ConnectionMode, LongAdder> openByMode = counters();
    private final Map<ConnectionMode, LongAdder> classifiedByMode = counters();
    private final Map<String, LongAdder> fallbacksByReason = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requiredClosedByReason = new ConcurrentHashMap<>();
    private final Map<String, String> listeners = new ConcurrentHashMap<>();
    private final List<Runnable> keyListeners = new CopyOnWriteArrayList<>();

    SmcConnectionTracker(KernelLookup kernel, SmcMode mode, boolean smcSockets, String plainNote) {
        this(kernel, mode, smcSockets, plainNote, new long[] {500, 2_000, 10_000});
    }

    SmcConnectionTracker(KernelLookup kernel, SmcMode mode, boolean smcSockets, String plainNote, long[] retryDelaysMillis) {
        this.kernel = kernel;
        this.mode = mode;
        this.smcSockets = smcSockets;
        this.plainNote = plainNote;
        this.retryDelaysMillis = retryDelaysMillis.clone();
    }

    private static Map<ConnectionMode, LongAdder> counters() {
        Map<ConnectionMode, LongAdder> m = new EnumMap<>(ConnectionMode.class);
        for (ConnectionMode c : ConnectionMode.values()) {
            m.put(c, new LongAdder());
        }
        return Collections.unmodifiableMap(m);
    }

    // ---- what the observers report (once per connection) ----

    /** Notes a listener bound at {@code local}, described as {@code how} ("SMC", "TCP (listener rule)", ...). */
    void listenerBound(SocketAddress local, String how, Channel serverChannel) {
        String key = Addresses.hostPort(local);
        listeners.put(key, how);
        serverChannel.closeFuture().addListener(f -> listeners.remove(key, how));
    }

    /**
     * Starts tracking an accepted (connected) channel and asks the kernel about it.
     *
     * @param smcSocket whether the descriptor is an SMC socket
     * @param policyTcp whether the policy put it on TCP
     */
    void track(Channel channel, Side side, boolean smcSocket, boolean policyTcp) {
        register(channel, side, smcSocket, policyTcp, channel.remoteAddress());
        classify(channel);
    }

    /**
     * Registers a channel before it is connected, so that whoever gets the connection first
     * (a stack may complete its connect future before later listeners run) already finds it.
     */
    void register(Channel channel, Side side, boolean smcSocket, boolean policyTcp, SocketAddress remote) {
        Tracked t = new Tracked(channel, side, smcSocket, policyTcp);
        if (open.putIfAbsent(channel, t) == null) {
            openByMode.get(ConnectionMode.UNKNOWN).increment();
            // by remote address from the start: a stack may report a client connection (e.g. to
            // its metrics) before the connect listeners that classify it have run
            if (remote != null) {
                indexRemote(t, Addresses.hostPort(remote));
            }
            channel.closeFuture().addListener(f -> forget(t));
        }
    }

    private void indexRemote(Tracked t, String remote) {
        synchronized (t) {
            if (t.closed) {
                return;
            }
            String before = t.remote;
            t.remote = remote;
            if (before != null && !before.equals(remote)) {
                unindexRemote(t.channel, before);
            }
            byRemote.compute(remote, (r, same) -> {
                Set<Channel> s = same == null ? ConcurrentHashMap.newKeySet() : same;
                s.add(t.channel);
                return s;
            });
        }
    }

    private void unindexRemote(Channel channel, String remote) {
        byRemote.computeIfPresent(remote, (r, same) -> {
            same.remove(channel);
            return same.isEmpty() ? null : same;
        });
    }

    /** Forgets a channel whose connect failed. */
    void unregister(Channel channel) {
        Tracked t = open.get(channel);
        if (t != null) {
            forget(t);
        }
    }

    private void forget(Tracked t) {
        synchronized (t) {
            if (t.closed) {
                return;
            }
            t.closed = true;
            openByMode.get(t.mode).decrement();
        }
        open.remove(t.channel, t);
        // indexing happens under the lock while not closed, so what was indexed is found here
        if (t.addressKey != null) {
            byAddresses.remove(t.addressKey, t.channel);
        }
        if (t.remote != null) {
            unindexRemote(t.channel, t.remote);
        }
    }

    /** Indexes a registered, connected channel by its addresses and asks the kernel about it (once). */
    void classify(Channel channel) {
        Tracked t = open.get(channel);
        if (t == null || t.classified) {
            return;
        }
        t.classified = true;
        index(t);
        if (!t.smcSocket) {
            complete(t, SmcConnectionInfo.of(ConnectionMode.TCP, t.policyTcp ? "policy: plain TCP" : plainNote, t.local, t.remote, t.side));
            return;
        }
        long inode;
        try {
            inode = kernel.inode(channel);
        } catch (IOException | RuntimeException e) {
            complete(t, SmcConnectionInfo.of(ConnectionMode.UNKNOWN, "no inode: " + e.getMessage(), t.local, t.remote, t.side));
            return;
        }
        lookup(t, channel, inode, 0);
    }

    /**
     * Asks the kernel about one socket; a failed or empty answer for a channel still open is asked
     * again after each of {@link #retryDelaysMillis}: a dump has a time limit under load, and
     * smc_diag's dump is no snapshot (it resumes by list position while sockets come and go), so
     * one miss must not leave a connection UNKNOWN for its whole life.
     */
    private void lookup(Tracked t, Channel channel, long inode, int attempt) {
        CompletionStage<Optional<SmcSocketInfo>> answer;
        try {
            answer = kernel.lookup(inode);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((view, err) -> {
            if ((err != null || view.isEmpty()) && channel.isOpen() && attempt < retryDelaysMillis.length) {
                CompletableFuture.delayedExecutor(retryDelaysMillis[attempt], TimeUnit.MILLISECONDS)
                        .execute(() -> lookup(t, channel, inode, attempt + 1));
            } else if (err != null) {
                complete(t, SmcConnectionInfo.of(ConnectionMode.UNKNOWN, "smc_diag lookup failed (" + (attempt + 1)
                        + " tries): " + err.getMessage(), t.local, t.remote, t.side));
            } else if (view.isEmpty()) {
                complete(t, SmcConnectionInfo.of(ConnectionMode.UNKNOWN,
                        channel.isOpen() ? "smc_diag has no socket with inode " + inode + " (" + (attempt + 1) + " tries)"
                                : "closed before lookup",
                        t.local, t.remote, t.side));
            } else {
                String note = t.policyTcp && view.get().fallbackReason().code() == DECLINE_OPTUNSUPP ? "policy: plain TCP" : "";
                complete(t, SmcConnectionInfo.of(view.get(), note, t.local, t.remote, t.side));
            }
        });
    }

    private void index(Tracked t) {
        String local = Addresses.hostPort(t.channel.localAddress());
        String remote = Addresses.hostPort(t.channel.remoteAddress());
        indexRemote(t, remote);
        synchronized (t) {
            t.local = local;
            if (t.closed) {
                return;
            }
            // a close after this point finds the key set and removes what is added here
            t.addressKey = local + " " + remote;
            byAddresses.put(t.addressKey, t.channel);
        }
    }

    private void complete(Tracked t, SmcConnectionInfo info) {
        ConnectionMode m = info.mode();
        synchronized (t) {
            if (!t.closed) {
                openByMode.get(t.mode).decrement();
                openByMode.get(m).increment();
            }
            t.mode = m;
        }
        classifiedByMode.get(m).increment();
        if (m == ConnectionMode.FALLBACK_TCP) {
            count(fallbacksByReason, info.fallbackReasonHex());
        }
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, info.logLine());
        }
        try {
            if (mode == SmcMode.REQUIRED && t.wantSmc && m == ConnectionMode.FALLBACK_TCP) {
                count(requiredClosedByReason, info.fallbackReasonHex());
                LOG.log(Level.WARNING, "closing (SMC required): " + info.logLine());
                closeOnceRegistered(t.channel);
            }
        } finally {
            t.info.complete(info);
        }
    }

    /**
     * Closes a channel that may not be registered yet: an accepted child is handed to its event
     * loop after the listener saw it, and the kernel's answer can come first (from a cached dump,
     * even on the listener's own thread). Netty cannot close a channel without an event loop.
     */
    private static void closeOnceRegistered(Channel channel) {
        if (channel.isRegistered()) {
            channel.close();
            return;
        }
        channel.pipeline().addFirst(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRegistered(ChannelHandlerContext ctx) {
                ctx.pipeline().remove(this);
                ctx.channel().close();
            }
        });
        if (channel.isRegistered()) {
            channel.close(); // registered meanwhile, perhaps without telling the handler above: closing twice is harmless
        }
    }

    private void count(Map<String, LongAdder> counters, String key) {
        LongAdder[] created = new LongAdder[1];
        counters.computeIfAbsent(key, k -> created[0] = new LongAdder()).increment();
        if (created[0] != null) {
            keyListeners.forEach(Runnable::run);
        }
    }

    // ---- what applications and adapters ask ----

    /**
     * What the kernel says about this channel's connection; completes once the kernel answered
     * (on the smc_diag reader's thread, or at once when known). Fails when the channel was not
     * made or accepted through this layer.
     */
    public CompletionStage<SmcConnectionInfo> info(Channel channel) {
        Tracked t = open.get(channel);
        return t == null
                ? CompletableFuture.failedFuture(new IllegalStateException("connection " + channel + " was not made by this SMC layer"))
                : t.info.copy();
    }

    /** Whether this layer made or accepted this (open) channel. */
    public boolean isTracked(Channel channel) {
        return open.containsKey(channel);
    }

    /** The open, connected channel with these addresses (as seen from this end), found by key, not by scanning. */
    public Optional<Channel> find(InetSocketAddress local, InetSocketAddress remote) {
        return Optional.ofNullable(byAddresses.get(Addresses.hostPort(local) + " " + Addresses.hostPort(remote)));
    }

    /** The open, connected channels whose remote end is {@code remote} (usually one; a client pool has several). */
    public List<Channel> channelsTo(InetSocketAddress remote) {
        Set<Channel> same = byRemote.get(Addresses.hostPort(remote));
        return same == null ? List.of() : List.copyOf(same);
    }

    /** Every open connection as known now, pending ones as {@link ConnectionMode#UNKNOWN} (a listing: walks them all). */
    public List<SmcConnectionInfo> connections() {
        List<SmcConnectionInfo> all = new ArrayList<>();
        for (Tracked t : open.values()) {
            all.add(t.info.getNow(SmcConnectionInfo.of(ConnectionMode.UNKNOWN, "lookup pending",
                    t.local == null ? Addresses.hostPort(t.channel.localAddress()) : t.local,
                    t.remote == null ? Addresses.hostPort(t.channel.remoteAddress()) : t.remote, t.side)));
        }
        return all;
    }

    /** The number of connections open now. */
    public int openCount() {
        return open.size();
    }

    @Override
    public Map<ConnectionMode, Long> openByMode() {
        return snapshot(openByMode);
    }

    @Override
    public Map<ConnectionMode, Long> classifiedByMode() {
        return snapshot(classifiedByMode);
    }

    @Override
    public Map<String, Long> fallbacksByReason() {
        return snapshot(fallbacksByReason);
    }

    @Override
    public Map<String, Long> requiredClosedByReason() {
        return snapshot(requiredClosedByReason);
    }

    @Override
    public Map<String, String> listeners() {
        return new TreeMap<>(listeners);
    }

    @Override
    public boolean smcSockets() {
        return smcSockets;
    }

    @Override
    public void onNewKey(Runnable listener) {
        keyListeners.add(java.util.Objects.requireNonNull(listener, "`listener` must not be `null`"));
    }

    /** The global mode. */
    public SmcMode mode() {
        return mode;
    }

    /** Non-zero counters only, in key order. */
    private static <K> Map<K, Long> snapshot(Map<K, LongAdder> counters) {
        Map<K, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> {
            long n = v.sum();
            if (n != 0) {
                out.put(k, n);
            }
        });
        return out;
    }

    private static final class Tracked {
        final Channel channel;
        final Side side;
        final boolean smcSocket;
        final boolean policyTcp;
        final boolean wantSmc;
        final CompletableFuture<SmcConnectionInfo> info = new CompletableFuture<>();
        volatile boolean classified;
        volatile String local;
        volatile String remote;
        volatile String addressKey;
        /** Guarded by this: the mode the open counters hold this connection under, and whether it is gone. */
        ConnectionMode mode = ConnectionMode.UNKNOWN;
        boolean closed;

        Tracked(Channel channel, Side side, boolean smcSocket, boolean policyTcp) {
            this.channel = channel;
            this.side = side;
            this.smcSocket = smcSocket;
            this.policyTcp = policyTcp;
            this.wantSmc = smcSocket && !policyTcp;
        }
    }
}
