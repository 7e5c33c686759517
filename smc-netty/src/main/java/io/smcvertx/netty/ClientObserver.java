package io.smcvertx.netty;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.diag.SmcConnectionInfo.Side;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * Sits on a client channel until its {@code connect}: applies the destination policy (the
 * resolved remote address is first known here), registers the connection, has it classified once
 * it is up, and removes itself, so nothing of ours is left on the data path.
 */
final class ClientObserver extends ChannelDuplexHandler {

    static final String NAME = "smc-client-observer";

    private final SmcPolicy policy;
    private final SmcConnectionTracker tracker;
    private final boolean smcSocket;

    ClientObserver(SmcPolicy policy, SmcConnectionTracker tracker, boolean smcSocket) {
        this.policy = policy;
        this.tracker = tracker;
        this.smcSocket = smcSocket;
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remoteAddress, SocketAddress localAddress,
            ChannelPromise promise) {
        boolean policyTcp = false;
        if (smcSocket && policy.forDestination(remoteAddress) == SmcPolicy.Use.TCP) {
            try {
                // on the descriptor itself, so the NIO route (which has no raw options) does it too
                SmcChannelOptions.set(ctx.channel(), SmcChannelOptions.FORCE_TCP_FALLBACK, 0);
            } catch (SmcNativeException | RuntimeException e) {
                promise.setFailure(new IOException("could not switch the connection to " + remoteAddress + " to TCP: " + e.getMessage(), e));
                return;
            }
            policyTcp = true;
        }
        tracker.register(ctx.channel(), Side.CLIENT, smcSocket, policyTcp, remoteAddress);
        promise.addListener(f -> {
            if (f.isSuccess()) {
                tracker.classify(promise.channel());
            } else {
                tracker.unregister(promise.channel());
            }
        });
        ctx.pipeline().remove(this);
        ctx.connect(remoteAddress, localAddress, promise);
    }
}
