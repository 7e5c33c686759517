package io.smcvertx.grpc.example;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.smcvertx.grpc.SmcGrpc;
import io.smcvertx.netty.SmcNetty;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A client of the echo service whose connection comes from the SMC layer. Calls block: use it off event loops. */
public final class EchoClient implements AutoCloseable {

    private static final long DEADLINE_SECONDS = 300;

    private final SmcNetty smc;
    private final EventLoopGroup group;
    private final InetSocketAddress server;
    private final ManagedChannel channel;

    private EchoClient(SmcNetty smc, EventLoopGroup group, InetSocketAddress server, ManagedChannel channel) {
        this.smc = smc;
        this.group = group;
        this.server = server;
        this.channel = channel;
    }

    /** A client of {@code server} with its own layer under {@code policy} (it connects at the first call). */
    public static EchoClient open(InetSocketAddress server, SmcPolicy policy) {
        SmcNetty smc = SmcNetty.create(policy);
        EventLoopGroup group = smc.newEventLoopGroup(1);
        return new EchoClient(smc, group, server, SmcGrpc.channelBuilder(smc, server, group).usePlaintext().build());
    }

    private static CallOptions call() {
        return CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** The client's SMC layer. */
    public SmcNetty smc() {
        return smc;
    }

    /** Unary {@code Say}. */
    public String say(String message) {
        return ClientCalls.blockingUnaryCall(channel, EchoService.SAY, call(), message);
    }

    /** Server streaming {@code Count}: {@code "1"} .. {@code "n"}. */
    public List<String> count(int n) {
        List<String> all = new ArrayList<>();
        ClientCalls.blockingServerStreamingCall(channel, EchoService.COUNT, call(), String.valueOf(n)).forEachRemaining(all::add);
        return all;
    }

    /** Bidirectional {@code Chat}: sends every message, returns what came back. */
    public List<String> chat(List<String> messages) throws Exception {
        List<String> back = new ArrayList<>();
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        StreamObserver<String> out = ClientCalls.asyncBidiStreamingCall(channel.newCall(EchoService.CHAT, call()), new StreamObserver<>() {
            @Override
            public void onNext(String value) {
                back.add(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(back);
            }
        });
        messages.forEach(out::onNext);
        out.onCompleted();
        return done.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** The server's view of this client's connection. */
    public String serverView() {
        return ClientCalls.blockingUnaryCall(channel, EchoService.MODE, call(), "");
    }

    /** The server's SMC meters. */
    public String serverMetrics() {
        return ClientCalls.blockingUnaryCall(channel, EchoService.METRICS, call(), "");
    }

    /** The channel of this client's connection to the server (after a call), as the layer made it. */
    public Channel connection() {
        List<Channel> to = smc.tracker().channelsTo(server);
        if (to.isEmpty()) {
            throw new IllegalStateException("no open connection to " + server + " yet: make a call first");
        }
        return to.get(0);
    }

    /** This client's view of its connection: what its kernel says. */
    public SmcConnectionInfo clientView() throws Exception {
        return smc.tracker().info(connection()).toCompletableFuture().get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(60, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(60, TimeUnit.SECONDS);
    }
}
