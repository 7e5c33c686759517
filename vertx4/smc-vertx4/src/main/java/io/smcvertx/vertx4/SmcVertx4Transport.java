package io.smcvertx.vertx4;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.smcvertx.netty.SmcChannels;
import io.smcvertx.netty.SmcNetty;
import io.smcvertx.netty.SmcPolicy;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.impl.VertxBuilder;
import io.vertx.core.impl.transports.JDKTransport;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.spi.transport.Transport;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * A Vert.x 4.5 transport whose TCP sockets are SMC sockets: Vert.x's epoll transport (or its JDK
 * NIO one where Netty has no native epoll) with the TCP channel factories of an {@link SmcNetty}
 * layer (the Netty 4.1 build, smc-netty41), which applies the policy and tracks every connection.
 * Unix domain sockets and UDP stay Vert.x's own.
 *
 * <p>Vert.x 4.5 has no public way to hand a transport to a builder: it takes the first available
 * {@code io.vertx.core.spi.transport.Transport} service when {@code preferNativeTransport} is set
 * (how the Quarkus extension plugs it), or {@link #vertxBuilder} through Vert.x's {@code VertxBuilder}.
 */
public final class SmcVertx4Transport implements Transport {

    private final Transport inner;
    private final SmcNetty smc;

    private SmcVertx4Transport(Transport inner, SmcNetty smc) {
        this.inner = inner;
        this.smc = smc;
    }

    /** A transport that follows {@code policy}, on epoll where Netty has it, NIO elsewhere. Never throws for either. */
    public static SmcVertx4Transport create(SmcPolicy policy) {
        return create(SmcNetty.create(Objects.requireNonNull(policy, "`policy` must not be `null`")));
    }

    /** A transport over an SMC layer made by the caller (forced onto NIO, shared with other Netty stacks...). */
    public static SmcVertx4Transport create(SmcNetty smc) {
        Objects.requireNonNull(smc, "`smc` must not be `null`");
        Transport inner = smc.transport() == SmcChannels.Transport.EPOLL ? VertxBuilder.nativeTransport() : JDKTransport.INSTANCE;
        if (inner == null || !inner.isAvailable()) {
            // smc-netty found native epoll, Vert.x did not (e.g. a kqueue-only class path): never mix the two
            throw new IllegalStateException("Vert.x has no epoll transport here although Netty has: "
                    + (inner == null ? "no native transport on the class path" : inner.unavailabilityCause()));
        }
        return new SmcVertx4Transport(inner, smc);
    }

    /** A Vert.x 4.5 builder (Vert.x's internal {@code VertxBuilder}, the only route to a given transport) on this transport. */
    public VertxBuilder vertxBuilder(io.vertx.core.VertxOptions options) {
        return new VertxBuilder(options).findTransport(this);
    }

    /** The SMC layer underneath: policy, channel factories, connection tracker. */
    public SmcNetty smc() {
        return smc;
    }

    /** Whether TCP channels are SMC sockets. */
    public boolean smcAvailable() {
        return smc.smcSockets();
    }

    /** Why TCP channels are plain TCP sockets, when they are. */
    public Optional<String> smcUnavailabilityCause() {
        return smc.smcUnavailabilityCause();
    }

    @Override
    public boolean supportsDomainSockets() {
        return inner.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
        // sendfile(2) on AF_SMC worked in the lab, Netty's FileRegion over SMC was never tried
        return !smc.smcSockets() && inner.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
        return inner.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
        return inner.unavailabilityCause();
    }

    @Override
    public java.net.SocketAddress convert(io.vertx.core.net.SocketAddress address) {
        return inner.convert(address);
    }

    @Override
    public io.vertx.core.net.SocketAddress convert(java.net.SocketAddress address) {
        return inner.convert(address);
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
        return inner.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel() {
        return inner.datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
        return inner.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
        return domainSocket ? inner.channelFactory(true) : smc.socketChannelFactory();
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
        return domainSocket ? inner.serverChannelFactory(true) : smc.serverChannelFactory();
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
        inner.configure(channel, options);
    }

    @Override
    public void configure(ClientOptionsBase options, boolean domainSocket, Bootstrap bootstrap) {
        inner.configure(options, domainSocket, bootstrap);
        if (!domainSocket) {
            smc.stripFastOpen(bootstrap);
        }
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
        inner.configure(options, domainSocket, bootstrap);
        if (!domainSocket) {
            smc.stripFastOpen(bootstrap);
        }
    }
}
