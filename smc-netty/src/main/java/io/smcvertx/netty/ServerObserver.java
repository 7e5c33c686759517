package io.smcvertx.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ServerChannel;
import io.smcvertx.transport.diag.SmcConnectionInfo.Side;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * Sits on a listener channel (which carries no data): applies the listener policy before
 * {@code bind}, and registers each accepted child once, as the listener hands it on.
 */
final class ServerObserver extends ChannelDuplexHandler {

    static final String NAME = "smc-server-observer";

    private final SmcPolicy policy;
    private final SmcConnectionTracker tracker;
    /** Whether the listener's socket is an SMC socket; false once a listener rule put TCP back. */
    private boolean smcSocket;
    private boolean ruledTcp;

    ServerObserver(SmcPolicy policy, SmcConnectionTracker tracker, boolean smcSocket) {
        this.policy = policy;
        this.tracker = tracker;
        this.smcSocket = smcSocket;
    }

    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
        if (smcSocket && policy.forListener(localAddress) == SmcPolicy.Use.TCP) {
            // a plain TCP socket, not an SMC socket forced to fall back: on Linux 6.12 the
            // connections such a listener accepts never wake epoll when their data arrives
            SmcChannels.replaceWithTcp((ServerChannel) ctx.channel()).addListener(f -> {
                if (!f.isSuccess()) {
                    promise.setFailure(new IOException("listener " + localAddress
                            + ": cannot put a plain TCP socket under it for its listener rule `TCP`: " + f.cause(), f.cause()));
                    return;
                }
                smcSocket = false;
                ruledTcp = true;
                bind(ctx, localAddress, promise, "TCP (listener rule)");
            });
            return;
        }
        bind(ctx, localAddress, promise, smcSocket ? "SMC" : "TCP (SMC unavailable)");
    }

    private void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise, String how) {
        Channel server = ctx.channel();
        // the listener is recorded before the caller's promise completes: whoever waits on the
        // bind (Vert.x's listen future) may ask for it at once, and may have listened first
        ChannelPromise bound = ctx.newPromise();
        bound.addListener(f -> {
            if (f.isSuccess()) {
                tracker.listenerBound(server.localAddress(), how, server);
                promise.trySuccess();
            } else {
                promise.tryFailure(f.cause());
            }
        });
        ctx.bind(localAddress, bound);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Channel child) {
            tracker.track(child, Side.SERVER, smcSocket, ruledTcp);
        }
        ctx.fireChannelRead(msg);
    }
}
