package io.smcvertx.netty;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.smcvertx.transport.SmcConfig;
import io.smcvertx.transport.diag.SmcDiag;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SMC for any Netty stack in one object: channel factories (epoll, or NIO where Netty has no
 * native epoll) that apply an {@link SmcPolicy} and register every connection with a
 * {@link SmcConnectionTracker}, which answers "mode, fallback reason, peer diagnosis" per
 * channel and keeps the counters metrics read. Plain Netty, gRPC, Reactor Netty and the Vert.x
 * adapter all wire it in the same way:
 *
 * <pre>{@code
 * SmcNetty smc = SmcNetty.create(SmcPolicy.DEFAULT);
 * EventLoopGroup group = smc.newEventLoopGroup(2);
 * Channel server = new ServerBootstrap().group(group).channelFactory(smc.serverChannelFactory())
 *         .childHandler(...).bind(port).sync().channel();
 * smc.tracker().info(acceptedChannel).thenAccept(i -> System.out.println(i.logLine()));
 * }</pre>
 *
 * <p>Each channel gets one small handler that removes itself at {@code connect} (clients) or
 * stays on the listener (which carries no data): nothing runs per packet. Kernel lookups are
 * batched smc_diag dumps on the reader's own thread, shared by every layer in the JVM.
 */
public final class SmcNetty extends NettyIo {

    private static final System.Logger LOG = System.getLogger("io.smcvertx.netty");

    /** One smc_diag reader per JVM: lookups from every layer batch into the same dumps. */
    private static final class SharedDiag {
        static final SmcDiag DIAG = SmcDiag.open();
    }

    private final SmcPolicy policy;
    private final ChannelSource source;
    private final SmcChannels channels; // null for the test-jar's stand-ins
    private final SmcConnectionTracker tracker;
    private final AtomicBoolean fastOpenWarned = new AtomicBoolean();

    private SmcNetty(SmcPolicy policy, ChannelSource source, SmcChannels channels, SmcConnectionTracker.KernelLookup kernel) {
        this.policy = policy;
        this.source = source;
        this.channels = channels;
        this.tracker = new SmcConnectionTracker(kernel, policy.mode(), source.smc(),
                source.unavailabilityCause().map(c -> "SMC unavailable: " + c).orElse(""));
    }

    /** The default policy (SMC everywhere, fall back silently) on the transport chosen for this machine. */
    public static SmcNetty create() {
        return create(SmcPolicy.DEFAULT);
    }

    /**
     * A layer that follows {@code policy}, over native epoll where Netty has it, JDK NIO elsewhere
     * (or what {@value SmcChannels#TRANSPORT_PROPERTY} forces). Never throws for a missing epoll
     * or a kernel without SMC: {@link #transportReason()} and {@link #smcUnavailabilityCause()} say why.
     */
    public static SmcNetty create(SmcPolicy policy) {
        Objects.requireNonNull(policy, "`policy` must not be `null`");
        return create(policy, SmcChannels.create(config(policy)));
    }

    /** A layer over a transport chosen by the caller ({@link SmcChannels.Transport#EPOLL} throws where Netty has no epoll). */
    public static SmcNetty create(SmcPolicy policy, SmcChannels.Transport transport) {
        Objects.requireNonNull(policy, "`policy` must not be `null`");
        Objects.requireNonNull(transport, "`transport` must not be `null`");
        return create(policy, transport == SmcChannels.Transport.EPOLL ? SmcChannels.epoll(config(policy)) : SmcChannels.nio(config(policy)));
    }

    private static SmcNetty create(SmcPolicy policy, SmcChannels channels) {
        return new SmcNetty(policy, ChannelSource.of(channels), channels, inode -> SharedDiag.DIAG.lookup(inode));
    }

    /** The layer over stand-in channels and kernel answers (the test-jar's {@code SmcNettyTesting}). */
    static SmcNetty create(SmcPolicy policy, ChannelSource source, SmcConnectionTracker.KernelLookup kernel) {
        return new SmcNetty(policy, source, null, kernel);
    }

    private static SmcConfig config(SmcPolicy policy) {
        return SmcConfig.builder().mode(policy.mode()).build();
    }

    /** The policy this layer follows. */
    public SmcPolicy policy() {
        return policy;
    }

    /** The connections this layer made or accepted, and their counters. */
    public SmcConnectionTracker tracker() {
        return tracker;
    }

    /** The channel factories underneath (no policy, no tracking), or empty for test stand-ins. */
    public Optional<SmcChannels> channels() {
        return Optional.ofNullable(channels);
    }

    /** The Netty transport of the channels: epoll or NIO. */
    @Override
    public SmcChannels.Transport transport() {
        return source.transport();
    }

    /** Why that transport, e.g. "NIO: Netty native epoll unavailable here (...)". */
    public String transportReason() {
        return source.transportReason();
    }

    /** Whether new channels get SMC sockets. */
    public boolean smcSockets() {
        return source.smc();
    }

    /** Why they do not, when they do not (the kernel's word, "SMC disabled by policy", ...). */
    public Optional<String> smcUnavailabilityCause() {
        return source.unavailabilityCause();
    }

    /** Client channels with the destination policy and tracking installed. */
    public ChannelFactory<SocketChannel> socketChannelFactory() {
        ChannelFactory<? extends SocketChannel> inner = source.client();
        return () -> {
            SocketChannel ch = inner.newChannel();
            ch.pipeline().addFirst(ClientObserver.NAME, new ClientObserver(policy, tracker, source.isSmc(ch)));
            return ch;
        };
    }

    /** Listener channels with the listener policy and tracking of accepted children installed. */
    public ChannelFactory<ServerSocketChannel> serverChannelFactory() {
        ChannelFactory<? extends ServerSocketChannel> inner = source.server();
        return () -> {
            ServerSocketChannel ch = inner.newChannel();
            ch.pipeline().addFirst(ServerObserver.NAME, new ServerObserver(policy, tracker, source.isSmc(ch)));
            return ch;
        };
    }

    /** An event loop group of {@link #transport()}, the kind these channels must be registered with. */
    public EventLoopGroup newEventLoopGroup(int nThreads) {
        return NettyIo.eventLoopGroup(transport(), nThreads, null);
    }

    /** An event loop group of {@link #transport()} whose threads come from {@code threads}. */
    public EventLoopGroup newEventLoopGroup(int nThreads, ThreadFactory threads) {
        return NettyIo.eventLoopGroup(transport(), nThreads, Objects.requireNonNull(threads, "`threads` must not be `null`"));
    }


    /**
     * Removes the TCP fast-open options from a bootstrap (and, for a server bootstrap, from its
     * child options) when this layer makes SMC sockets: on an SMC socket they make the kernel fall
     * back to TCP for every connection (decline 0x03060000). Logs one warning per layer the first
     * time it drops one. Call it after the options are set, before bind/connect.
     */
    public <B extends AbstractBootstrap<B, C>, C extends Channel> B stripFastOpen(B bootstrap) {
        Objects.requireNonNull(bootstrap, "`bootstrap` must not be `null`");
        if (!source.smc()) {
            return bootstrap;
        }
        List<ChannelOption<?>> unsafe = new ArrayList<>();
        bootstrap.config().options().keySet().stream().filter(SmcChannels::isUnsafeForSmc).forEach(unsafe::add);
        unsafe.forEach(o -> bootstrap.option(o, null));
        if (bootstrap instanceof io.netty.bootstrap.ServerBootstrap server) {
            List<ChannelOption<?>> child = new ArrayList<>();
            server.config().childOptions().keySet().stream().filter(SmcChannels::isUnsafeForSmc).forEach(child::add);
            child.forEach(o -> server.childOption(o, null));
            unsafe.addAll(child);
        }
        if (!unsafe.isEmpty() && fastOpenWarned.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "TCP Fast Open is ignored on SMC sockets (" + unsafe
                    + "): the kernel would fall back to TCP (decline 0x03060000) for every connection");
        }
        return bootstrap;
    }

    @Override
    public String toString() {
        return "SmcNetty[" + policy.mode() + ", " + transportReason() + ", "
                + (smcSockets() ? "SMC sockets" : "plain TCP: " + smcUnavailabilityCause().orElse("?")) + "]";
    }
}
