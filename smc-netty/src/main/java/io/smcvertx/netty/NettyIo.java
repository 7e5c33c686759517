package io.smcvertx.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import java.util.concurrent.ThreadFactory;

/**
 * Every use of Netty-4.2-only API in this module (I/O handler factories, {@code
 * MultiThreadIoEventLoopGroup}, {@code SocketProtocolFamily}). The Netty 4.1 flavour
 * (vertx4/smc-netty41) compiles the same sources with its own copy of this one class. {@link
 * SmcNetty} and {@link SmcChannels} extend it, so the public method below, which only Netty 4.2
 * can offer, is part of their API here and absent from the 4.1 flavour.
 */
abstract class NettyIo {

    NettyIo() {
    }

    /** The Netty transport whose channels and event loops this object hands out. */
    public abstract SmcChannels.Transport transport();

    /** The I/O handler factory of {@link #transport()}, for {@code MultiThreadIoEventLoopGroup} (Netty 4.2 only). */
    public IoHandlerFactory ioHandlerFactory() {
        return ioHandlerFactory(transport());
    }

    static IoHandlerFactory ioHandlerFactory(SmcChannels.Transport transport) {
        return transport == SmcChannels.Transport.EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    static EventLoopGroup eventLoopGroup(SmcChannels.Transport transport, int nThreads, ThreadFactory threads) {
        return threads == null
                ? new MultiThreadIoEventLoopGroup(nThreads, ioHandlerFactory(transport))
                : new MultiThreadIoEventLoopGroup(nThreads, threads, ioHandlerFactory(transport));
    }

    /** {@code inet6} null: the family Netty would choose. */
    static EpollSocketChannel epollSocket(Boolean inet6) {
        return inet6 == null ? new EpollSocketChannel()
                : new EpollSocketChannel(inet6 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
    }

    static EpollServerSocketChannel epollServer(Boolean inet6) {
        return inet6 == null ? new EpollServerSocketChannel()
                : new EpollServerSocketChannel(inet6 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
    }
}
