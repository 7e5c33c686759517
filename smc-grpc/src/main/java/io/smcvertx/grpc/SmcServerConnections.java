package io.smcvertx.grpc;

import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerTransportFilter;
import io.netty.channel.Channel;
import io.smcvertx.netty.SmcConnectionTracker;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Joins gRPC's server transports to the layer's tracker. gRPC hides the Netty channel of a
 * transport but gives its two addresses; the tracker finds the channel by that pair (a map
 * lookup, no scan) once per transport, when it is ready, and keeps the kernel's answer in the
 * transport's attributes. Each call then carries it in its {@link Context}.
 */
final class SmcServerConnections extends ServerTransportFilter implements ServerInterceptor {

    /** The transport's connection, as the tracker will tell it; set once per transport. */
    static final Attributes.Key<CompletionStage<SmcConnectionInfo>> CONNECTION = Attributes.Key.create("smcvertx-connection");

    private final SmcConnectionTracker tracker;

    SmcServerConnections(SmcConnectionTracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public Attributes transportReady(Attributes transportAttrs) {
        SocketAddress local = transportAttrs.get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR);
        SocketAddress remote = transportAttrs.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        return transportAttrs.toBuilder().set(CONNECTION, lookup(local, remote)).build();
    }

    private CompletionStage<SmcConnectionInfo> lookup(SocketAddress local, SocketAddress remote) {
        if (!(local instanceof InetSocketAddress l) || !(remote instanceof InetSocketAddress r)) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "gRPC transport " + local + " <- " + remote + " is not an IP connection: the SMC layer tracks IP connections only"));
        }
        Optional<Channel> channel = tracker.find(l, r);
        return channel.isPresent() ? tracker.info(channel.get())
                : CompletableFuture.failedFuture(new IllegalStateException(
                        "connection " + local + " <- " + remote + " was not accepted by this SMC layer's listener"));
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        CompletionStage<SmcConnectionInfo> info = call.getAttributes().get(CONNECTION);
        if (info == null) {
            return next.startCall(call, headers); // a transport this filter never saw (not made by SmcGrpc.serverBuilder)
        }
        return Contexts.interceptCall(Context.current().withValue(SmcGrpc.contextKey(), info), call, headers, next);
    }
}
