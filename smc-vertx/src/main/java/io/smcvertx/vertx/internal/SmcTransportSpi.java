package io.smcvertx.vertx.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.smcvertx.netty.SmcNetty;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.TcpConfig;
import io.vertx.core.spi.transport.Transport;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's epoll (or, where Netty has no native epoll, NIO) transport with its TCP channels (not
 * Unix domain sockets, not UDP) taken from an {@link SmcNetty} layer, which applies the policy
 * and tracks every connection. Everything else is Vert.x's own.
 */
public final class SmcTransportSpi implements Transport {

    private final Transport inner;
    private final SmcNetty smc;

    /** {@code inner} must be Vert.x's transport of the same kind as {@code smc}'s channels (epoll or NIO). */
    public SmcTransportSpi(Transport inner, SmcNetty smc) {
        this.inner = inner;
        this.smc = smc;
    }

    public SmcNetty smc() {
        return smc;
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
    public IoHandlerFactory ioHandlerFactory() {
        return inner.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
        return inner.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
        return inner.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends DatagramChannel> datagramChannelFactory() {
        return inner.datagramChannelFactory();
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
    public void configure(TcpConfig config, boolean domainSocket, Bootstrap bootstrap) {
        inner.configure(config, domainSocket, bootstrap);
        if (!domainSocket) {
            smc.stripFastOpen(bootstrap);
        }
    }

    @Override
    public void configure(TcpConfig config, boolean domainSocket, ServerBootstrap bootstrap) {
        inner.configure(config, domainSocket, bootstrap);
        if (!domainSocket) {
            smc.stripFastOpen(bootstrap);
        }
    }
}
