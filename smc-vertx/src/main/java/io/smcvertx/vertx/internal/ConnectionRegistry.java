package io.smcvertx.vertx.internal;

import io.netty.channel.Channel;
import io.smcvertx.transport.SmcMode;
import io.smcvertx.vertx.SmcConnectionInfo;
import io.smcvertx.vertx.SmcConnectionInfo.Mode;
import io.smcvertx.vertx.SmcConnectionInfo.Side;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every TCP connection the transport made or accepted, with the kernel's word on it once known,
 * and the counters the admin endpoint and metrics read.
 *
 * <p>Work here happens once per connection (accept/connect and close), never per packet: one
 * {@code readlink} of {@code /proc/self/fd/N} for the inode, one batched smc_diag lookup that
 * runs on the diag reader's own executor.
 */
public final class ConnectionRegistry {

    private static final System.Logger LOG = System.getLogger("io.smcvertx.vertx.connections");

    /** CLC decline code the kernel records when an option SMC cannot carry forced TCP: how our policy says "TCP". */
    public static final int DECLINE_OPTUNSUPP = 0x03060000;

    private final DiagSource diag;
    private final SmcMode mode;
    private final boolean smcSockets;
    private final String plainNote;
    private final Map<Channel, Tracked> open = new ConcurrentHashMap<>();
    private final Map<Mode, LongAdder> totalByMode = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> fallbacksByReason = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requiredClosedByReason = new ConcurrentHashMap<>();
    private final Map<String, String> listeners = new ConcurrentHashMap<>();

    public ConnectionRegistry(DiagSource diag, SmcMode mode, boolean smcSockets, String plainNote) {
        this.diag = diag;
        this.mode = mode;
        this.smcSockets = smcSockets;
        this.plainNote = plainNote;
    }

    /** Notes a listener bound at {@code local}, described as {@code how} ("SMC", "TCP (policy)", ...). */
    public void listenerBound(SocketAddress local, String how, Channel serverChannel) {
        String key = address(local);
        listeners.put(key, how);
        serverChannel.closeFuture().addListener(f -> listeners.remove(key, how));
    }

    /** Listeners bound through this transport, address to how they listen. */
    public Map<String, String> listeners() {
        return new TreeMap<>(listeners);
    }

    /**
     * Starts tracking a connected channel and asks the kernel about it.
     *
     * @param smcSocket whether the descriptor is an SMC socket
     * @param policyTcp whether our policy pushed it to TCP before connect/bind
     */
    public void track(Channel channel, Side side, boolean smcSocket, boolean policyTcp) {
        register(channel, side, smcSocket, policyTcp);
        classify(channel);
    }

    /**
     * Registers a channel before it is connected, so that whoever gets the connection first
     * (Vert.x completes its connect future before later listeners run) already finds it.
     */
    public void register(Channel channel, Side side, boolean smcSocket, boolean policyTcp) {
        Tracked t = new Tracked(channel, side, smcSocket, policyTcp);
        if (open.putIfAbsent(channel, t) == null) {
            channel.closeFuture().addListener(f -> open.remove(channel));
        }
    }

    /** Forgets a channel whose connect failed. */
    public void unregister(Channel channel) {
        open.remove(channel);
    }

    /** Asks the kernel about a registered, connected channel (once). */
    public void classify(Channel channel) {
        Tracked t = open.get(channel);
        if (t == null || t.classified) {
            return;
        }
        t.classified = true;
        if (!t.smcSocket) {
            complete(t, plain(t, t.policyTcp ? "policy: plain TCP" : plainNote));
            return;
        }
        long inode;
        try {
            inode = inode(channel);
        } catch (IOException | RuntimeException e) {
            complete(t, unknown(t, "no inode: " + e.getMessage()));
            return;
        }
        diag.lookup(inode).whenComplete((view, err) -> {
            if (err != null) {
                complete(t, unknown(t, "smc_diag lookup failed: " + err.getMessage()));
            } else if (view.isEmpty()) {
                complete(t, unknown(t, channel.isOpen() ? "smc_diag has no socket with inode " + inode : "closed before lookup"));
            } else {
                complete(t, fromKernel(t, view.get(), t.policyTcp));
            }
        });
    }

    private void complete(Tracked t, SmcConnectionInfo info) {
        totalByMode.computeIfAbsent(info.mode(), m -> new LongAdder()).increment();
        if (info.mode() == Mode.FALLBACK_TCP) {
            fallbacksByReason.computeIfAbsent(info.fallbackReasonHex(), r -> new LongAdder()).increment();
        }
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, info.logLine());
        }
        if (mode == SmcMode.REQUIRED && t.wantSmc && info.mode() == Mode.FALLBACK_TCP) {
            requiredClosedByReason.computeIfAbsent(info.fallbackReasonHex(), r -> new LongAdder()).increment();
            LOG.log(Level.WARNING, "closing (SMC required): " + info.logLine());
            t.channel.close();
        }
        t.info.complete(info);
    }

    private static SmcConnectionInfo plain(Tracked t, String note) {
        return new SmcConnectionInfo(Mode.TCP, 0, "", 0, "", note, local(t), remote(t), t.side);
    }

    private static SmcConnectionInfo unknown(Tracked t, String note) {
        return new SmcConnectionInfo(Mode.UNKNOWN, 0, "", 0, "", note, local(t), remote(t), t.side);
    }

    private static SmcConnectionInfo fromKernel(Tracked t, DiagSource.KernelView v, boolean policyTcp) {
        Mode m = switch (v.mode()) {
            case SMCD -> Mode.SMCD;
            case SMCR -> Mode.SMCR;
            case FALLBACK_TCP -> Mode.FALLBACK_TCP;
        };
        String note = policyTcp && v.fallbackReason() == DECLINE_OPTUNSUPP ? "policy: plain TCP" : "";
        return new SmcConnectionInfo(m, m == Mode.FALLBACK_TCP ? v.fallbackReason() : 0,
                m == Mode.FALLBACK_TCP ? v.fallbackReasonName() : "", v.peerDiagnosis(), v.peerDiagnosisName(),
                note, local(t), remote(t), t.side);
    }

    /** The info of a tracked channel, or empty when the transport did not make it. */
    public Optional<CompletionStage<SmcConnectionInfo>> info(Channel channel) {
        Tracked t = open.get(channel);
        return t == null ? Optional.empty() : Optional.of(t.info);
    }

    /** The channel of a tracked connection with these addresses (as seen from this end). */
    public Optional<Channel> find(InetSocketAddress local, InetSocketAddress remote) {
        String l = address(local);
        String r = address(remote);
        for (Tracked t : open.values()) {
            if (l.equals(address(t.channel.localAddress())) && r.equals(address(t.channel.remoteAddress()))) {
                return Optional.of(t.channel);
            }
        }
        return Optional.empty();
    }

    /** The channels of the open connections on {@code side} (for the node's byte counts, once per connection). */
    public List<Channel> channels(Side side) {
        List<Channel> out = new ArrayList<>();
        open.forEach((ch, t) -> {
            if (t.side == side) {
                out.add(ch);
            }
        });
        return out;
    }

    /** The open connections whose kernel view is known, or pending ones as {@link Mode#UNKNOWN}. */
    public List<SmcConnectionInfo> connections() {
        List<SmcConnectionInfo> all = new ArrayList<>();
        for (Tracked t : open.values()) {
            all.add(t.info.getNow(unknown(t, "lookup pending")));
        }
        return all;
    }

    /** Open connections counted by mode. */
    public Map<Mode, Long> openByMode() {
        Map<Mode, Long> counts = new TreeMap<>();
        for (SmcConnectionInfo i : connections()) {
            counts.merge(i.mode(), 1L, Long::sum);
        }
        return counts;
    }

    /** Connections ever classified, by mode. */
    public Map<Mode, Long> totalByMode() {
        return snapshot(totalByMode);
    }

    /** Fallbacks ever seen, by reason ({@code 0x03010000} ...). */
    public Map<String, Long> fallbacksByReason() {
        return snapshot(fallbacksByReason);
    }

    /** Connections closed because SMC was required but the kernel left them on TCP, by reason. */
    public Map<String, Long> requiredClosedByReason() {
        return snapshot(requiredClosedByReason);
    }

    /** The number of connections open now. */
    public int openCount() {
        return open.size();
    }

    /** Whether the channels handed out are SMC sockets. */
    public boolean smcSockets() {
        return smcSockets;
    }

    /** The global mode. */
    public SmcMode mode() {
        return mode;
    }

    private static <K> Map<K, Long> snapshot(Map<K, LongAdder> counters) {
        Map<K, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** The socket inode of a channel's descriptor: the key smc_diag reports sockets by. */
    static long inode(Channel channel) throws IOException {
        return io.smcvertx.transport.netty.SmcChannels.inode(channel);
    }

    private static String local(Tracked t) {
        return address(t.channel.localAddress());
    }

    private static String remote(Tracked t) {
        return address(t.channel.remoteAddress());
    }

    /** {@code host:port} with IPv4-mapped addresses in their IPv4 form, or the address's own text. */
    public static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress isa && isa.getAddress() != null) {
            String host = Addresses.normalize(isa.getAddress()).getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + isa.getPort();
        }
        return String.valueOf(address);
    }

    private static final class Tracked {
        final Channel channel;
        final Side side;
        final boolean smcSocket;
        final boolean policyTcp;
        final boolean wantSmc;
        final CompletableFuture<SmcConnectionInfo> info = new CompletableFuture<>();
        volatile boolean classified;

        Tracked(Channel channel, Side side, boolean smcSocket, boolean policyTcp) {
            this.channel = channel;
            this.side = side;
            this.smcSocket = smcSocket;
            this.policyTcp = policyTcp;
            this.wantSmc = smcSocket && !policyTcp;
        }
    }
}
