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
 * Sits on a listener channel (which carries no data): checks the listener policy before
 * {@code bind}, and registers each accepted child once, as the listener hands it on.
 */
final class ServerChannelObserver extends ChannelDuplexHandler {

    private final SmcPolicy policy;
    private final ConnectionRegistry registry;
    private final boolean smcSocket;

    ServerChannelObserver(SmcPolicy policy, ConnectionRegistry registry, boolean smcSocket) {
        this.policy = policy;
        this.registry = registry;
        this.smcSocket = smcSocket;
    }

    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
        String how;
        if (!smcSocket) {
            how = "TCP (SMC unavailable)";
        } else if (policy.forListener(localAddress) == SmcPolicy.Use.TCP) {
            // Forcing the fallback before bind (as for clients) makes a listener whose accepted
            // connections never wake epoll when data arrives (Linux 6.12, seen in the lab): every
            // connection would hang. No listener beats that.
            promise.setFailure(new IOException("listener " + localAddress + ": a listener rule `TCP` is not supported on"
                    + " SMC sockets (the kernel does not wake the connections such a listener accepts);"
                    + " serve it from a Vert.x without SmcTransport, or drop the rule"));
            return;
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
            registry.track(child, Side.SERVER, smcSocket, false);
        }
        ctx.fireChannelRead(msg);
    }
}
