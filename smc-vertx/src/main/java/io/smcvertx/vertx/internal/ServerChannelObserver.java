package io.smcvertx.vertx.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.smcvertx.vertx.SmcConnectionInfo.Side;
import io.smcvertx.vertx.SmcPolicy;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * Sits on a listener channel (which carries no data): applies the listener policy before
 * {@code bind}, and registers each accepted child once, as the listener hands it on.
 */
final class ServerChannelObserver extends ChannelDuplexHandler {

    private final SmcPolicy policy;
    private final ConnectionRegistry registry;
    private final boolean smcSocket;
    private boolean childrenSmc;

    ServerChannelObserver(SmcPolicy policy, ConnectionRegistry registry, boolean smcSocket) {
        this.policy = policy;
        this.registry = registry;
        this.smcSocket = smcSocket;
        this.childrenSmc = smcSocket;
    }

    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
        String how;
        if (!smcSocket) {
            how = "TCP (SMC unavailable)";
        } else if (policy.forListener(localAddress) == SmcPolicy.Use.TCP) {
            // a forced-fallback listener accepts plain TCP sockets: its children are not SMC sockets
            if (!ctx.channel().config().setOption(PolicyOptions.FORCE_TCP, 0)) {
                promise.setFailure(new IOException("could not switch listener " + localAddress + " to TCP"));
                return;
            }
            childrenSmc = false;
            how = "TCP (policy)";
        } else {
            how = "SMC";
        }
        Channel server = ctx.channel();
        promise.addListener(f -> {
            if (f.isSuccess()) {
                registry.listenerBound(server.localAddress(), how, server);
            }
        });
        ctx.bind(localAddress, promise);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Channel child) {
            // children of a listener the policy sent to TCP are plain TCP sockets: say it was the policy
            registry.track(child, Side.SERVER, childrenSmc, smcSocket && !childrenSmc);
        }
        ctx.fireChannelRead(msg);
    }
}
