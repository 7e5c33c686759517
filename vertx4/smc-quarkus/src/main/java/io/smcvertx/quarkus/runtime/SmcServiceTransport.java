package io.smcvertx.quarkus.runtime;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.smcvertx.vertx4.SmcVertx4Transport;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.spi.transport.Transport;
import java.util.concurrent.ThreadFactory;

/**
 * What Vert.x 4.5 loads as a {@code Transport} service (META-INF/services): the transport {@link
 * SmcRecorder} installed, or, when none is (SMC off), unavailable, so that Vert.x goes on to its own
 * native or JDK transport exactly as without this extension.
 */
public final class SmcServiceTransport implements Transport {

    private final SmcVertx4Transport delegate = SmcQuarkus.transport().orElse(null);

    /** Called by the ServiceLoader. */
    public SmcServiceTransport() {
    }

    private SmcVertx4Transport d() {
        if (delegate == null) {
            throw new IllegalStateException("SMC transport not installed (quarkus.smc.enabled=false)");
        }
        return delegate;
    }

    @Override
    public boolean isAvailable() {
        return delegate != null && delegate.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
        return delegate == null ? new IllegalStateException("quarkus.smc.enabled=false") : delegate.unavailabilityCause();
    }

    @Override
    public boolean supportsDomainSockets() {
        return d().supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
        return d().supportFileRegion();
    }

    @Override
    public java.net.SocketAddress convert(io.vertx.core.net.SocketAddress address) {
        return d().convert(address);
    }

    @Override
    public io.vertx.core.net.SocketAddress convert(java.net.SocketAddress address) {
        return d().convert(address);
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
        return d().eventLoopGroup(type, nThreads, threadFactory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel() {
        return d().datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
        return d().datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
        return d().channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
        return d().serverChannelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
        d().configure(channel, options);
    }

    @Override
    public void configure(ClientOptionsBase options, boolean domainSocket, Bootstrap bootstrap) {
        d().configure(options, domainSocket, bootstrap);
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
        d().configure(options, domainSocket, bootstrap);
    }
}
