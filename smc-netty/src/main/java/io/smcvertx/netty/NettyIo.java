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
 * MultiThreadIoEventLoopGroup}, {@code SocketProtocolFamily}): a Netty 4.1 flavour of the layer
 * compiles the same sources with its own copy of this one class.
 */
final class NettyIo {

    private NettyIo() {
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
