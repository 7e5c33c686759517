package io.smcvertx.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.UnixChannel;
import io.smcvertx.transport.Smc;
import io.smcvertx.transport.SmcCapabilities;
import io.smcvertx.transport.SmcConfig;
import io.smcvertx.transport.SmcMode;
import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.SmcUnavailableException;
import io.smcvertx.transport.internal.ffm.LibC;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Netty channel factories whose sockets are SMC sockets, for servers and clients, IPv4 and IPv6,
 * over native epoll or, where Netty has no native epoll (s390x), JDK NIO.
 *
 * <pre>{@code
 * SmcChannels smc = SmcChannels.create(SmcConfig.defaults());   // epoll here, NIO where Netty has none
 * EventLoopGroup group = smc.newEventLoopGroup(2);
 * new ServerBootstrap().group(group).channelFactory(smc.serverChannelFactory()) ...
 * }</pre>
 *
 * <p>How: each channel is constructed the normal way, then, before Netty registers it, an SMC
 * socket is put under its descriptor number with {@code dup3} (the family matched: AF_INET6 ->
 * SMCPROTO_SMC6, AF_INET -> SMCPROTO_SMC), and the options the constructor had set are carried
 * over. A client therefore stays inactive until connected (so TLS works), and children accepted
 * by an SMC listener are SMC sockets.
 *
 * <p>Modes: {@link SmcMode#REQUIRED} fails {@code newChannel()} with {@link SmcUnavailableException}
 * when no SMC socket can be made; {@link SmcMode#PREFERRED} then hands out plain channels and keeps
 * why ({@link #plainCause()}, {@link #lastFallbackCause()}); {@link SmcMode#DISABLED} is plain.
 * Whether a connection really runs over SMC is the kernel's per-connection decision: ask
 * {@code smc_diag} with {@link #inode(Channel)}, or let {@link SmcNetty}'s tracker do it.
 *
 * <p>Never set {@link #isUnsafeForSmc(ChannelOption) TCP fast open} options on these channels:
 * the kernel answers them by falling back to TCP (decline 0x03060000).
 */
public final class SmcChannels extends NettyIo {

    private static final SmcDescriptors PLAIN_TCP = family -> LibC.socket("socket(TCP)", family, SmcDescriptors.TYPE, 0);

    /** Which Netty transport the channels use. */
    public enum Transport {
        /** Netty's native epoll (x86_64, aarch64, riscv64). */
        EPOLL,
        /** The JDK's NIO; SMC over it needs {@code --add-opens java.base/sun.nio.ch=...} (see {@link #nio}). */
        NIO
    }

    /** The system property that forces a transport for {@link #create}: {@code epoll} or {@code nio}. */
    public static final String TRANSPORT_PROPERTY = TransportChoice.PROPERTY;

    private final SmcConfig config;
    private final Transport transport;
    private final String transportReason;
    /** Where SMC descriptors come from; null when channels are plain. */
    private final SmcDescriptors descriptors;
    /** Why channels are plain although the mode asks for SMC; null otherwise. */
    private final Throwable unavailable;
    private final AtomicReference<Throwable> lastFallback = new AtomicReference<>();
    private final AtomicLong smcChannels = new AtomicLong();
    private final AtomicLong plainChannels = new AtomicLong();

    SmcChannels(SmcConfig config, Transport transport, SmcDescriptors smc, Throwable unavailable) {
        this(config, new TransportChoice(transport, transport + ": chosen by the caller"), smc, unavailable);
    }

    private SmcChannels(SmcConfig config, TransportChoice choice, SmcDescriptors smc, Throwable unavailable) {
        this.config = Objects.requireNonNull(config, "`config` must not be `null`");
        this.transport = choice.transport();
        this.transportReason = choice.reason();
        boolean wanted = config.mode() != SmcMode.DISABLED;
        this.unavailable = wanted ? unavailable : null;
        this.descriptors = wanted && unavailable == null ? Objects.requireNonNull(smc, "`smc` must not be `null`") : null;
    }

    /**
     * Channels over native epoll when Netty has it here, else over JDK NIO, or what the system
     * property {@value #TRANSPORT_PROPERTY} ({@code epoll|nio}) asks for. Never throws: the
     * choice and its reason are in {@link #transport()} and {@link #transportReason()}, and are
     * logged once.
     */
    public static SmcChannels create(SmcConfig config) {
        return create(config, TransportChoice.decide().logOnce());
    }

    private static SmcChannels create(SmcConfig config, TransportChoice choice) {
        Objects.requireNonNull(config, "`config` must not be `null`");
        return new SmcChannels(config, choice, descriptorsFor(config), cause(choice.transport()));
    }

    /**
     * Channels over Netty's native epoll.
     *
     * @throws UnsatisfiedLinkError from {@link Epoll#ensureAvailability()} when native epoll is
     *     missing; {@link #create} chooses without throwing
     */
    public static SmcChannels epoll(SmcConfig config) {
        Epoll.ensureAvailability();
        return create(config, new TransportChoice(Transport.EPOLL, "epoll: chosen by the caller"));
    }

    /**
     * Channels over JDK NIO. SMC needs the descriptor of each JDK channel, which only
     * {@code --add-opens java.base/sun.nio.ch=io.smcvertx.netty} (or {@code =ALL-UNNAMED}
     * on the class path) makes reachable; without it this behaves as if the kernel had no SMC,
     * with that as the cause.
     */
    public static SmcChannels nio(SmcConfig config) {
        return create(config, new TransportChoice(Transport.NIO, "NIO: chosen by the caller"));
    }

    private static Throwable cause(Transport transport) {
        Throwable cause = Smc.unavailabilityCause();
        if (cause == null && transport == Transport.NIO) {
            cause = JdkDescriptors.unavailabilityCause();
        }
        return cause;
    }

    private static SmcDescriptors descriptorsFor(SmcConfig config) {
        return config.mode() == SmcMode.DISABLED ? null : SmcDescriptors.of(Smc.resolve(config.socketApi()));
    }

    public SmcConfig config() {
        return config;
    }

    /** The Netty transport these channels use. */
    @Override
    public Transport transport() {
        return transport;
    }

    /** Why {@link #transport()} was chosen, e.g. "NIO: Netty native epoll unavailable here (...)". */
    public String transportReason() {
        return transportReason;
    }

    /** What the kernel offers (the JVM-wide probe). */
    public SmcCapabilities capabilities() {
        return Smc.capabilities();
    }

    /** Whether new channels get SMC sockets (false when disabled, or preferred but unavailable). */
    public boolean usesSmc() {
        return descriptors != null;
    }

    /**
     * Why channels are plain although the mode is {@link SmcMode#PREFERRED}, or, in
     * {@link SmcMode#REQUIRED} mode, why {@code newChannel()} fails. Empty when SMC is in use or disabled.
     */
    public Optional<Throwable> plainCause() {
        return Optional.ofNullable(unavailable);
    }

    /**
     * The last time an SMC socket could not be made for one channel although the kernel has SMC
     * (e.g. out of memory), in {@link SmcMode#PREFERRED} mode, so that channel went plain.
     */
    public Optional<Throwable> lastFallbackCause() {
        return Optional.ofNullable(lastFallback.get());
    }

    /** How many channels (clients and listeners, not accepted children) got an SMC socket. */
    public long smcChannelCount() {
        return smcChannels.get();
    }

    /** How many channels (clients and listeners) were handed out plain. */
    public long plainChannelCount() {
        return plainChannels.get();
    }


    /** An event loop group of {@link #transport()}, the kind these channels must be registered with. */
    public EventLoopGroup newEventLoopGroup(int nThreads) {
        return NettyIo.eventLoopGroup(transport, nThreads, null);
    }

    /** An event loop group of {@link #transport()} whose threads come from {@code threads}. */
    public EventLoopGroup newEventLoopGroup(int nThreads, ThreadFactory threads) {
        return NettyIo.eventLoopGroup(transport, nThreads, Objects.requireNonNull(threads, "`threads` must not be `null`"));
    }

    /** Client channels in the family Netty (or the JDK) would choose: IPv6 unless {@code java.net.preferIPv4Stack}. */
    public ChannelFactory<? extends SocketChannel> socketChannelFactory() {
        return () -> newSocketChannel(null);
    }

    /** Client channels of one family ({@code INET} or {@code INET6}: JDK's or Netty's family constants). */
    public ChannelFactory<? extends SocketChannel> socketChannelFactory(ProtocolFamily family) {
        Boolean inet6 = inet6(family);
        return () -> newSocket(inet6);
    }

    /** Listeners in the family Netty (or the JDK) would choose. */
    public ChannelFactory<? extends ServerSocketChannel> serverChannelFactory() {
        return () -> newServerChannel(null);
    }

    /** Listeners of one family ({@code INET} or {@code INET6}). */
    public ChannelFactory<? extends ServerSocketChannel> serverChannelFactory(ProtocolFamily family) {
        Boolean inet6 = inet6(family);
        return () -> newServer(inet6);
    }

    /** INET -> false, INET6 -> true, by name, so that JDK and Netty family constants both work. */
    private static Boolean inet6(ProtocolFamily family) {
        String name = family == null ? "null" : family.name();
        return switch (name) {
            case "INET" -> Boolean.FALSE;
            case "INET6" -> Boolean.TRUE;
            default -> throw new IllegalArgumentException("`family` must be INET or INET6, got " + family);
        };
    }

    /** A new, unregistered client channel; {@code family} null means the platform default. */
    public SocketChannel newSocketChannel(ProtocolFamily family) {
        return newSocket(family == null ? null : inet6(family));
    }

    /** A new, unregistered listener channel; {@code family} null means the platform default. */
    public ServerSocketChannel newServerChannel(ProtocolFamily family) {
        return newServer(family == null ? null : inet6(family));
    }

    private SocketChannel newSocket(Boolean inet6) {
        checkRequired();
        if (transport == Transport.EPOLL) {
            var ch = NettyIo.epollSocket(inet6);
            return place(ch, ch.fd().intValue(), false);
        }
        java.nio.channels.SocketChannel jdk = openJdk(() -> inet6 == null
                ? SelectorProvider.provider().openSocketChannel()
                : SelectorProvider.provider().openSocketChannel(jdkFamily(inet6)));
        placeJdk(jdk, false);
        return new SmcNioSocketChannel(jdk);
    }

    private ServerSocketChannel newServer(Boolean inet6) {
        checkRequired();
        if (transport == Transport.EPOLL) {
            var ch = NettyIo.epollServer(inet6);
            return place(ch, ch.fd().intValue(), true);
        }
        java.nio.channels.ServerSocketChannel jdk = openJdk(() -> inet6 == null
                ? SelectorProvider.provider().openServerSocketChannel()
                : SelectorProvider.provider().openServerSocketChannel(jdkFamily(inet6)));
        placeJdk(jdk, true);
        return new SmcNioServerSocketChannel(jdk);
    }

    private static ProtocolFamily jdkFamily(boolean inet6) {
        return inet6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    private void checkRequired() {
        if (config.mode() == SmcMode.REQUIRED && unavailable != null) {
            throw new SmcUnavailableException("SMC is required but unavailable: " + unavailable.getMessage(), unavailable);
        }
    }

    /** Puts an SMC socket under a Netty channel; in PREFERRED mode a failure leaves it plain. */
    private <C extends Channel> C place(C channel, int fd, boolean server) {
        if (descriptors == null) {
            plainChannels.incrementAndGet();
            return channel;
        }
        try {
            DescriptorSwap.swap(fd, server, descriptors);
            smcChannels.incrementAndGet();
            return channel;
        } catch (SmcNativeException e) {
            if (config.mode() == SmcMode.PREFERRED) {
                lastFallback.set(e);
                plainChannels.incrementAndGet();
                return channel;
            }
            channel.unsafe().closeForcibly();
            throw new SmcUnavailableException("SMC is required but no SMC socket could be made: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            channel.unsafe().closeForcibly();
            throw e;
        }
    }

    private void placeJdk(java.nio.channels.NetworkChannel jdk, boolean server) {
        if (descriptors == null) {
            plainChannels.incrementAndGet();
            return;
        }
        try {
            DescriptorSwap.swap(JdkDescriptors.fd((java.nio.channels.Channel) jdk), server, descriptors);
            smcChannels.incrementAndGet();
        } catch (SmcNativeException e) {
            if (config.mode() == SmcMode.PREFERRED) {
                lastFallback.set(e);
                plainChannels.incrementAndGet();
                return;
            }
            closeQuietly(jdk);
            throw new SmcUnavailableException("SMC is required but no SMC socket could be made: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(jdk);
            throw e;
        }
    }

    private static void closeQuietly(java.nio.channels.NetworkChannel jdk) {
        try {
            jdk.close();
        } catch (IOException ignored) {
            // the first failure is already on its way to the caller
        }
    }

    @FunctionalInterface
    private interface JdkOpen<T> {
        T open() throws IOException;
    }

    private static <T> T openJdk(JdkOpen<T> open) {
        try {
            return open.open();
        } catch (IOException e) {
            throw new ChannelException("cannot open a JDK socket channel", e);
        }
    }

    /**
     * The inode of a channel's socket: the key {@code smc_diag} reports connections by. Works for
     * channels made here, for their accepted children, and for any Netty epoll channel.
     *
     * @throws IOException when the descriptor is closed or {@code fstat} fails
     * @throws UnsupportedOperationException for a channel whose descriptor cannot be reached
     */
    public static long inode(Channel channel) throws IOException {
        return LibC.inode(fd(channel));
    }

    /**
     * Whether a channel's socket is an SMC socket: {@code AF_SMC} ({@code SO_DOMAIN} 43) or
     * {@code IPPROTO_SMC} ({@code SO_PROTOCOL} 256). An SMC socket whose connection fell back to
     * TCP is still one; {@code smc_diag} says which mode the connection got.
     */
    public static boolean isSmcSocket(Channel channel) throws IOException {
        return LibC.isSmcSocket(fd(channel));
    }

    /**
     * Puts a plain TCP socket back under a listener channel, before it is bound: for a listener
     * the application wants on TCP. Forcing an SMC listener to fall back instead (a TCP fast-open
     * option before {@code listen}) gives, on Linux 6.12, accepted connections whose arriving data
     * never wakes epoll. Call it on the channel's event loop: the channel is deregistered, its
     * socket replaced (family, {@code SO_REUSEADDR} and {@code IPV6_V6ONLY} carried over) and
     * registered again on the same loop (epoll or NIO alike). The future fails when the channel
     * is bound already or the socket could not be replaced; the channel is registered again
     * either way, so it can be closed as usual.
     */
    public static ChannelFuture replaceWithTcp(ServerChannel channel) {
        Objects.requireNonNull(channel, "`channel` must not be `null`");
        ChannelPromise done = channel.newPromise();
        if (channel.isActive()) {
            return done.setFailure(new IllegalStateException("`channel` is bound already: replace its socket before bind"));
        }
        int fd = fd(channel);
        EventLoop loop = channel.eventLoop();
        channel.deregister().addListener(deregistered -> {
            Throwable failure = deregistered.cause();
            if (failure == null) {
                try {
                    DescriptorSwap.swap(fd, true, PLAIN_TCP);
                } catch (SmcNativeException | RuntimeException e) {
                    failure = e;
                }
            }
            Throwable swapFailure = failure;
            loop.register(channel).addListener(registered -> {
                if (swapFailure != null) {
                    done.setFailure(swapFailure);
                } else if (!registered.isSuccess()) {
                    done.setFailure(registered.cause());
                } else {
                    done.setSuccess();
                }
            });
        });
        return done;
    }

    /**
     * Whether setting this option on an SMC socket would make the kernel fall back to TCP: the
     * TCP fast-open options (decline 0x03060000). {@link SmcNetty#stripFastOpen} drops them.
     */
    public static boolean isUnsafeForSmc(ChannelOption<?> option) {
        // also by name: Netty has declared them in several classes over time
        return option == ChannelOption.TCP_FASTOPEN || option == ChannelOption.TCP_FASTOPEN_CONNECT
                || option != null && option.name().contains("TCP_FASTOPEN");
    }

    /** The descriptor number under a channel made here, an accepted child of one, or any Netty epoll channel. */
    static int fd(Channel channel) {
        Objects.requireNonNull(channel, "`channel` must not be `null`");
        if (channel instanceof UnixChannel unix) {
            return unix.fd().intValue();
        }
        if (channel instanceof SmcNioSocketChannel nio) {
            return nio.fd();
        }
        if (channel instanceof SmcNioServerSocketChannel nio) {
            return nio.fd();
        }
        throw new UnsupportedOperationException("cannot reach the descriptor of a " + channel.getClass().getName()
                + ": use a Netty epoll channel or one made by SmcChannels");
    }

    @Override
    public String toString() {
        return "SmcChannels[" + config + ", " + transport + ", " + (usesSmc() ? "SMC" : "plain"
                + (unavailable != null ? " because " + unavailable.getMessage() : "")) + "]";
    }
}
