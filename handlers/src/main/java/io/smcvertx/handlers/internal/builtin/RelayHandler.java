package io.smcvertx.handlers.internal.builtin;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smcvertx.handlers.ConnectionInfo;
import io.smcvertx.handlers.Frame;
import io.smcvertx.handlers.ProtocolHandler;
import io.smcvertx.handlers.bridge.ReadStreamPublisher;
import io.smcvertx.handlers.bridge.WriteStreamSubscriber;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per connection: connect upstream, then downstream input → upstream socket and upstream socket
 * → downstream output, each leg with the bridges' backpressure. Either side ending ends the
 * other: downstream input completes → upstream is ended, which ends the upstream reads and so
 * the output; the output is cancelled (downstream closed) → upstream is closed.
 */
final class RelayHandler implements ProtocolHandler {

    private final NetClient client;
    private final String host;
    private final int port;
    private final Set<UpstreamLeg> legs = ConcurrentHashMap.newKeySet();
    private final AtomicLong maxUpstreamBufferedBytes = new AtomicLong();

    RelayHandler(NetClient client, String host, int port) {
        this.client = client;
        this.host = host;
        this.port = port;
    }

    @Override
    public Multi<Frame> handle(ConnectionInfo connection, Multi<Frame> input) {
        return Uni.createFrom().completionStage(() -> client.connect(port, host).toCompletionStage())
                .onItem().transformToMulti(upstream -> relay(upstream, input));
    }

    private Multi<Frame> relay(NetSocket upstream, Multi<Frame> input) {
        Context context = Vertx.currentContext();
        if (context == null) {
            // completion stages of Vert.x futures complete on the connection's context; this is a guard, not a path
            upstream.close();
            return Multi.createFrom().failure(new IllegalStateException("relay connected outside a Vert.x context"));
        }
        UpstreamLeg leg = new UpstreamLeg(upstream, new ReadStreamPublisher(upstream, context), new WriteStreamSubscriber(upstream));
        legs.add(leg);
        upstream.closeHandler(v -> {
            leg.reader.streamClosed();
            leg.writer.cancel();
            maxUpstreamBufferedBytes.accumulateAndGet(leg.writer.maxBufferedBytes(), Math::max);
            legs.remove(leg);
        });
        leg.writer.completion().onComplete(ar -> {
            if (ar.succeeded()) {
                upstream.end(); // downstream finished sending: finish upstream; its end then ends the output
            } else {
                upstream.close();
            }
        });
        input.subscribe().withSubscriber(leg.writer);
        return Multi.createFrom().publisher(leg.reader)
                .onTermination().invoke(() -> {
                    leg.writer.cancel();
                    upstream.close();
                });
    }

    @Override
    public Uni<Void> close() {
        return Uni.createFrom().completionStage(() -> client.close().toCompletionStage());
    }

    /** Open upstream connections (for tests and metrics). */
    int openUpstreams() {
        return legs.size();
    }

    /** The highest bytes buffered by any upstream write leg so far, open or closed. */
    long maxUpstreamBufferedBytes() {
        long max = maxUpstreamBufferedBytes.get();
        for (UpstreamLeg leg : legs) {
            max = Math.max(max, leg.writer.maxBufferedBytes());
        }
        return max;
    }

    /** Pending upstream writes over the open legs. */
    int upstreamPendingWrites() {
        return legs.stream().mapToInt(l -> l.writer.pendingWrites()).sum();
    }

    /** Whether any open upstream leg is paused waiting for demand. */
    boolean anyUpstreamPaused() {
        return legs.stream().anyMatch(l -> l.reader.isPausedForDemand());
    }

    private record UpstreamLeg(NetSocket socket, ReadStreamPublisher reader, WriteStreamSubscriber writer) {
    }
}
