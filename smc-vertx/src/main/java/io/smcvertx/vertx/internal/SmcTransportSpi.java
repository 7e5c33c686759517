package io.smcvertx.vertx.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.smcvertx.vertx.SmcPolicy;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.TcpConfig;
import io.vertx.core.spi.transport.Transport;
import java.lang.System.Logger.Level;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Vert.x's epoll transport with its TCP channels (not Unix domain sockets, not UDP) taken from a
 * {@link ChannelSource}. Each channel gets one observer that applies the policy at
 * bind/connect and registers the connection; nothing runs per packet.
 */
public final class SmcTransportSpi implements Transport {

    private static final System.Logger LOG = System.getLogger(SmcTransportSpi.class.getName());

    private final Transport epoll;
    private final ChannelSource source;
    private final SmcPolicy policy;
    private final ConnectionRegistry registry;
    private final AtomicBoolean fastOpenWarned = new AtomicBoolean();

    public SmcTransportSpi(Transport epoll, ChannelSource source, SmcPolicy policy, ConnectionRegistry registry) {
        this.epoll = epoll;
        this.source = source;
        this.policy = policy;
        this.registry = registry;
    }

    public ConnectionRegistry registry() {
        return registry;
    }

    public ChannelSource source() {
        return source;
    }

    public SmcPolicy policy() {
        return policy;
    }

    @Override
    public boolean supportsDomainSockets() {
        return epoll.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
        // sendfile(2) on AF_SMC worked in the lab, Netty's FileRegion over SMC was never tried
        return !source.smc() && epoll.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
        return epoll.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
        return epoll.unavailabilityCause();
    }

    @Override
    public java.net.SocketAddress convert(io.vertx.core.net.SocketAddress address) {
        return epoll.convert(address);
    }

    @Override
    public io.vertx.core.net.SocketAddress convert(java.net.SocketAddress address) {
        return epoll.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
        return epoll.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
        return epoll.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
        return epoll.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends DatagramChannel> datagramChannelFactory() {
        return epoll.datagramChannelFactory();
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
        if (domainSocket) {
            return epoll.channelFactory(true);
        }
        ChannelFactory<? extends Channel> inner = source.client();
        return () -> {
            Channel ch = inner.newChannel();
            ch.pipeline().addFirst("smc-client-observer", new ClientChannelObserver(policy, registry, source.isSmc(ch)));
            return ch;
        };
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
        if (domainSocket) {
            return epoll.serverChannelFactory(true);
        }
        ChannelFactory<? extends ServerChannel> inner = source.server();
        return () -> {
            ServerChannel ch = inner.newChannel();
            ch.pipeline().addFirst("smc-server-observer", new ServerChannelObserver(policy, registry, source.isSmc(ch)));
            return ch;
        };
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
        epoll.configure(channel, options);
    }

    @Override
    public void configure(TcpConfig config, boolean domainSocket, Bootstrap bootstrap) {
        epoll.configure(config, domainSocket, bootstrap);
        if (!domainSocket && source.smc() && bootstrap.config().options().containsKey(EpollChannelOption.TCP_FASTOPEN_CONNECT)) {
            // TCP Fast Open on an SMC socket makes the kernel fall back for every connection
            bootstrap.option(EpollChannelOption.TCP_FASTOPEN_CONNECT, null);
            warnFastOpen();
        }
    }

    @Override
    public void configure(TcpConfig config, boolean domainSocket, ServerBootstrap bootstrap) {
        epoll.configure(config, domainSocket, bootstrap);
        if (!domainSocket && source.smc() && bootstrap.config().options().containsKey(EpollChannelOption.TCP_FASTOPEN)) {
            bootstrap.option(EpollChannelOption.TCP_FASTOPEN, null);
            warnFastOpen();
        }
    }

    private void warnFastOpen() {
        if (fastOpenWarned.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "TCP Fast Open is ignored on SMC sockets: the kernel would fall back to TCP (decline 0x03060000) for every connection");
        }
    }
}
