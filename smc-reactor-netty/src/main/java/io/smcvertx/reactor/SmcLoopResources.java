package io.smcvertx.reactor;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Future;
import io.smcvertx.netty.SmcNetty;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyInbound;
import reactor.netty.resources.LoopResources;

/**
 * Reactor Netty's event loops and TCP channels from the SMC layer. Reactor Netty makes every TCP
 * channel, client and server, through {@link #onChannel(Class, EventLoopGroup)} with
 * {@code SocketChannel.class} or {@code ServerSocketChannel.class}: here those come from the
 * layer's factories (SMC sockets, the policy, REQUIRED, tracking), so
 * {@code HttpServer.create().runOn(smcLoops)} and {@code HttpClient.create().runOn(smcLoops)}
 * speak SMC, and the kernel still falls back to TCP per connection for peers without SMC. Other
 * channel types (the DNS resolver's datagram channels, and channels asked for by class, which
 * carry no SMC socket) are Reactor Netty's defaults for the group.
 *
 * <p>The loops are the layer's ({@link SmcNetty#newEventLoopGroup(int)}: epoll, or NIO where
 * Netty has no epoll); this object owns them and {@link #dispose()} shuts them down.
 */
public final class SmcLoopResources implements LoopResources {

    private final SmcNetty smc;
    private final EventLoopGroup select;
    private final EventLoopGroup workers;
    private final AtomicBoolean disposed = new AtomicBoolean();

    private SmcLoopResources(SmcNetty smc, EventLoopGroup select, EventLoopGroup workers) {
        this.smc = smc;
        this.select = select;
        this.workers = workers;
    }

    /** Loops on {@code smc}: one accepting thread and Reactor Netty's default worker count. */
    public static SmcLoopResources create(SmcNetty smc) {
        return create(smc, 1, LoopResources.DEFAULT_IO_WORKER_COUNT);
    }

    /** Loops on {@code smc} with {@code selectThreads} accepting and {@code workerThreads} I/O threads (both at least 1). */
    public static SmcLoopResources create(SmcNetty smc, int selectThreads, int workerThreads) {
        Objects.requireNonNull(smc, "`smc` must not be null");
        if (selectThreads < 1) {
            throw new IllegalArgumentException("`selectThreads` must be at least 1, got: " + selectThreads);
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("`workerThreads` must be at least 1, got: " + workerThreads);
        }
        return new SmcLoopResources(smc, smc.newEventLoopGroup(selectThreads), smc.newEventLoopGroup(workerThreads));
    }

    /** The SMC layer: its tracker knows every connection made or accepted on these loops. */
    public SmcNetty smc() {
        return smc;
    }

    @Override
    public <C extends Channel> C onChannel(Class<C> channelType, EventLoopGroup group) {
        if (channelType == SocketChannel.class) {
            return channelType.cast(smc.socketChannelFactory().newChannel());
        }
        if (channelType == ServerSocketChannel.class) {
            return channelType.cast(smc.serverChannelFactory().newChannel());
        }
        return LoopResources.super.onChannel(channelType, group);
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return workers;
    }

    @Override
    public EventLoopGroup onServerSelect(boolean useNative) {
        return select;
    }

    @Override
    public EventLoopGroup onClient(boolean useNative) {
        return workers;
    }

    /**
     * What the kernel made of the connection {@code inbound} arrived on (an HTTP request, a TCP
     * inbound); completes when smc_diag answered, off the event loop's back.
     */
    public Mono<SmcConnectionInfo> info(NettyInbound inbound) {
        Objects.requireNonNull(inbound, "`inbound` must not be null");
        Channel[] channel = new Channel[1];
        inbound.withConnection(c -> channel[0] = c.channel()); // runs at once: it hands over the request's connection
        return info(channel[0]);
    }

    /** What the kernel made of {@code connection}'s channel (an HTTP/2 stream: of the connection it runs on). */
    public Mono<SmcConnectionInfo> info(Connection connection) {
        Objects.requireNonNull(connection, "`connection` must not be null");
        return info(connection.channel());
    }

    private Mono<SmcConnectionInfo> info(Channel channel) {
        Channel c = channel;
        // HTTP/2 streams are child channels of the connection's channel, which the layer tracks
        while (c != null && !smc.tracker().isTracked(c) && c.parent() != null && !(c.parent() instanceof ServerChannel)) {
            c = c.parent();
        }
        return Mono.fromCompletionStage(smc.tracker().info(c));
    }

    @Override
    public boolean isDisposed() {
        return disposed.get();
    }

    @Override
    public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
        return Mono.defer(() -> {
            if (!disposed.compareAndSet(false, true)) {
                return Mono.empty();
            }
            long quiet = quietPeriod.toMillis();
            long max = Math.max(quiet, timeout.toMillis());
            return Mono.fromFuture(CompletableFuture.allOf(
                    toCompletable(select.shutdownGracefully(quiet, max, TimeUnit.MILLISECONDS)),
                    toCompletable(workers.shutdownGracefully(quiet, max, TimeUnit.MILLISECONDS))));
        });
    }

    private static CompletableFuture<Void> toCompletable(Future<?> f) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        f.addListener(x -> {
            if (x.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(x.cause());
            }
        });
        return done;
    }

    @Override
    public String toString() {
        return "SmcLoopResources[" + smc + "]";
    }
}
