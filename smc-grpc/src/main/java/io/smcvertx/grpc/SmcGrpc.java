package io.smcvertx.grpc;

import io.grpc.Context;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.smcvertx.netty.SmcNetty;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * gRPC-Java servers and channels on the SMC layer. {@code grpc-netty} accepts a Netty channel
 * factory and event-loop groups; these helpers pass the layer's, so every gRPC connection is an
 * SMC socket (the kernel still decides per connection, and falls back to TCP for peers without
 * SMC), with the layer's policy, REQUIRED enforcement and tracking. A server made here also knows,
 * for each call, what the kernel made of the call's connection: {@link #connection()}.
 *
 * <p>The groups belong to the caller (gRPC does not shut down groups it was given): make them with
 * {@link SmcNetty#newEventLoopGroup(int)} and shut them down after the server or channel.
 */
public final class SmcGrpc {

    private static final Context.Key<CompletionStage<SmcConnectionInfo>> CONNECTION = Context.key("smcvertx-connection");

    private SmcGrpc() {
    }

    /**
     * A server builder bound to {@code address} whose listener comes from the layer (SMC, the
     * listener rule applied, accepted connections tracked), on the given boss and worker groups,
     * with the filter and interceptor that make {@link #connection()} work in every call.
     */
    public static NettyServerBuilder serverBuilder(SmcNetty smc, InetSocketAddress address, EventLoopGroup boss, EventLoopGroup worker) {
        Objects.requireNonNull(smc, "`smc` must not be null");
        Objects.requireNonNull(address, "`address` must not be null");
        Objects.requireNonNull(boss, "`boss` must not be null");
        Objects.requireNonNull(worker, "`worker` must not be null");
        SmcServerConnections connections = new SmcServerConnections(smc.tracker());
        return NettyServerBuilder.forAddress(address)
                .channelFactory(smc.serverChannelFactory())
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(worker)
                .addTransportFilter(connections)
                .intercept(connections);
    }

    /**
     * A channel builder for {@code target} whose connections come from the layer's client factory
     * (SMC, the destination rule applied, tracked), on {@code group}. Plain text by default, as
     * {@code NettyChannelBuilder} is not: call {@code usePlaintext()} or give TLS credentials.
     */
    public static NettyChannelBuilder channelBuilder(SmcNetty smc, InetSocketAddress target, EventLoopGroup group) {
        Objects.requireNonNull(smc, "`smc` must not be null");
        Objects.requireNonNull(target, "`target` must not be null");
        Objects.requireNonNull(group, "`group` must not be null");
        return NettyChannelBuilder.forAddress(target)
                .channelFactory(smc.socketChannelFactory(), InetSocketAddress.class)
                .eventLoopGroup(group);
    }

    /**
     * What the kernel made of the current call's connection (mode, fallback reason, peer
     * diagnosis), for code running in a call of a server made by {@link #serverBuilder}. It
     * completes once smc_diag answered, on the reader's thread, or at once when known: compose on
     * it, never wait for it on an event loop. It fails, naming why, outside such a call.
     */
    public static CompletionStage<SmcConnectionInfo> connection() {
        CompletionStage<SmcConnectionInfo> info = CONNECTION.get();
        return info != null ? info
                : CompletableFuture.failedFuture(new IllegalStateException(
                        "no SMC connection in this gRPC context: only calls of a server made by SmcGrpc.serverBuilder have one"));
    }

    static Context.Key<CompletionStage<SmcConnectionInfo>> contextKey() {
        return CONNECTION;
    }
}
