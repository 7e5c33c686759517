package io.smcvertx.handlers.internal.builtin;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smcvertx.handlers.ConnectionInfo;
import io.smcvertx.handlers.Frame;
import io.smcvertx.handlers.ProtocolHandler;
import io.smcvertx.handlers.bridge.ReadStreamPublisher;
import io.smcvertx.handlers.bridge.WriteStreamSubscriber;
import io.smcvertx.handlers.internal.splice.SpliceHandler;
import io.smcvertx.handlers.internal.splice.SplicedConnection;
import io.smcvertx.netty.splice.ChannelSplice;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.StreamChannelInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per connection: connect upstream, then move the bytes both ways with backpressure. On a Vert.x
 * stream socket the relay never looks at the bytes ({@link RelaySplice}): it hands Netty's read
 * buffers from one socket to the other without a copy (either side ending ends the other), or,
 * where both sockets are native epoll sockets (and not opted out), splices them in the kernel (a
 * side's end passed on as a half-close). On any other socket it serves the Frame SPI: downstream input
 * → upstream socket and upstream socket → downstream output through the Mutiny bridges, where
 * downstream input completing ends upstream and the output being cancelled closes it.
 */
final class RelayHandler implements ProtocolHandler, SpliceHandler {

    private final NetClient client;
    private final String host;
    private final int port;
    final Set<Leg> legs = ConcurrentHashMap.newKeySet();
    private final AtomicLong maxUpstreamBufferedBytes = new AtomicLong();
    private final AtomicLong spliced = new AtomicLong();

    private final boolean kernelSplice;
    /** How a kernel splice starts: {@link ChannelSplice#start}, which tests replace. */
    volatile RelaySplice.KernelStarter kernelStarter = ChannelSplice::start;

    RelayHandler(NetClient client, String host, int port, boolean kernelSplice) {
        this.client = client;
        this.host = host;
        this.port = port;
        this.kernelSplice = kernelSplice;
    }

    @Override
    public SplicedConnection splice(NetSocket socket, ConnectionInfo info) {
        if (!(socket instanceof StreamChannelInternal)) {
            return null;
        }
        spliced.incrementAndGet();
        return RelaySplice.start(socket, info, this, client, host, port, kernelSplice, kernelStarter);
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
            legClosed(leg);
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

    void legClosed(Leg leg) {
        maxUpstreamBufferedBytes.accumulateAndGet(leg.upMaxBufferedBytes(), Math::max);
        legs.remove(leg);
    }

    @Override
    public Uni<Void> close() {
        return Uni.createFrom().completionStage(() -> client.close().toCompletionStage());
    }

    /** Open upstream connections (for tests and metrics). */
    int openUpstreams() {
        return legs.size();
    }

    /** Connections served on the splice path so far (the others took the Frame path). */
    long splicedConnections() {
        return spliced.get();
    }

    /** The highest bytes buffered by any upstream write leg so far, open or closed. */
    long maxUpstreamBufferedBytes() {
        long max = maxUpstreamBufferedBytes.get();
        for (Leg leg : legs) {
            max = Math.max(max, leg.upMaxBufferedBytes());
        }
        return max;
    }

    /** Pending upstream writes over the open legs. */
    int upstreamPendingWrites() {
        return legs.stream().mapToInt(Leg::upPendingWrites).sum();
    }

    /** Whether any open upstream leg is paused waiting for demand. */
    boolean anyUpstreamPaused() {
        return legs.stream().anyMatch(Leg::upReadPaused);
    }

    /** An open upstream connection, as the metrics see it. */
    interface Leg {
        /** The highest bytes handed to the upstream socket and not yet written. */
        long upMaxBufferedBytes();

        /** Writes handed to the upstream socket that have not completed. */
        int upPendingWrites();

        /** Whether the upstream socket's reading is paused. */
        boolean upReadPaused();
    }

    private record UpstreamLeg(NetSocket socket, ReadStreamPublisher reader, WriteStreamSubscriber writer) implements Leg {
        @Override
        public long upMaxBufferedBytes() {
            return writer.maxBufferedBytes();
        }

        @Override
        public int upPendingWrites() {
            return writer.pendingWrites();
        }

        @Override
        public boolean upReadPaused() {
            return reader.isPausedForDemand();
        }
    }
}
