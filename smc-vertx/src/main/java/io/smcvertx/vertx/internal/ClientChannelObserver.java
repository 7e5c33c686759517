package io.smcvertx.vertx.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.smcvertx.vertx.SmcConnectionInfo.Side;
import io.smcvertx.vertx.SmcPolicy;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * Sits on a client channel until its {@code connect}: applies the destination policy (the
 * resolved remote address is first known here), registers the connection once it is up, and
 * removes itself, so nothing of ours is left on the data path.
 */
final class ClientChannelObserver extends ChannelDuplexHandler {

    private final SmcPolicy policy;
    private final ConnectionRegistry registry;
    private final boolean smcSocket;

    ClientChannelObserver(SmcPolicy policy, ConnectionRegistry registry, boolean smcSocket) {
        this.policy = policy;
        this.registry = registry;
        this.smcSocket = smcSocket;
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remoteAddress, SocketAddress localAddress,
            ChannelPromise promise) {
        boolean policyTcp = false;
        if (smcSocket && policy.forDestination(remoteAddress) == SmcPolicy.Use.TCP) {
            if (!ctx.channel().config().setOption(PolicyOptions.FORCE_TCP, 0)) {
                promise.setFailure(new IOException("could not switch the connection to " + remoteAddress + " to TCP"));
                return;
            }
            policyTcp = true;
        }
        registry.register(ctx.channel(), Side.CLIENT, smcSocket, policyTcp);
        promise.addListener(f -> {
            if (f.isSuccess()) {
                registry.classify(promise.channel());
            } else {
                registry.unregister(promise.channel());
            }
        });
        ctx.pipeline().remove(this);
        ctx.connect(remoteAddress, localAddress, promise);
    }
}
