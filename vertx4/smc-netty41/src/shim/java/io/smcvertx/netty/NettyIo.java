package io.smcvertx.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.InternetProtocolFamily;
import java.util.concurrent.ThreadFactory;

/**
 * The Netty 4.1 side of smc-netty's only version-specific class: event loop groups of the
 * transport's own kind (Netty 4.1 has no I/O handler factories) and epoll channels of a given
 * family ({@code InternetProtocolFamily}, which 4.2 replaced). Everything else is smc-netty's
 * source, compiled unchanged against Netty 4.1.
 */
abstract class NettyIo {

    NettyIo() {
    }

    /** The Netty transport whose channels and event loops this object hands out. */
    public abstract SmcChannels.Transport transport();

    static EventLoopGroup eventLoopGroup(SmcChannels.Transport transport, int nThreads, ThreadFactory threads) {
        if (transport == SmcChannels.Transport.EPOLL) {
            return threads == null ? new EpollEventLoopGroup(nThreads) : new EpollEventLoopGroup(nThreads, threads);
        }
        return threads == null ? new NioEventLoopGroup(nThreads) : new NioEventLoopGroup(nThreads, threads);
    }

    /** {@code inet6} null: the family Netty would choose. */
    static EpollSocketChannel epollSocket(Boolean inet6) {
        return inet6 == null ? new EpollSocketChannel()
                : new EpollSocketChannel(inet6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
    }

    static EpollServerSocketChannel epollServer(Boolean inet6) {
        return inet6 == null ? new EpollServerSocketChannel()
                : new EpollServerSocketChannel(inet6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
    }
}
