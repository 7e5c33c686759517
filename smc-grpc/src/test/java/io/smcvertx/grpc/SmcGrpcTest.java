package io.smcvertx.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.smcvertx.netty.SmcNetty;
import io.smcvertx.netty.SmcNettyTesting;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.SmcMode;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.transport.diag.SmcSocketInfo;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * The gRPC wiring on a host without SMC: the layer's channels are plain epoll channels declared SMC
 * and smc_diag is a stand-in ({@link SmcNettyTesting}), so what runs here is the wiring (both ends
 * made and tracked by the layer, each call's connection found, REQUIRED applied to gRPC
 * connections). What the kernel does is {@code GrpcOverSmcIT}'s to prove, in the lab.
 */
class SmcGrpcTest {

    private static final CallOptions CALL = CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS);

    private record Running(SmcNetty smc, EventLoopGroup group, Server server) implements AutoCloseable {
        static Running start(SmcNetty smc) throws Exception {
            EventLoopGroup group = smc.newEventLoopGroup(2);
            Server server = SmcGrpc.serverBuilder(smc, new InetSocketAddress("127.0.0.1", 0), group, group)
                    .addService(ModeService.definition()).build().start();
            return new Running(smc, group, server);
        }

        InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", server.getPort());
        }

        ManagedChannel smcChannel() {
            return SmcGrpc.channelBuilder(smc, address(), group).usePlaintext().build();
        }

        /** A client that is not made by the layer: a peer that does not offer SMC. */
        ManagedChannel foreignChannel() {
            return NettyChannelBuilder.forAddress(address()).usePlaintext().build();
        }

        @Override
        public void close() throws Exception {
            server.shutdownNow().awaitTermination(60, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static LongFunction<CompletionStage<Optional<SmcSocketInfo>>> kernelSays(LongFunction<SmcSocketInfo> answer) {
        return inode -> CompletableFuture.completedFuture(Optional.of(answer.apply(inode)));
    }

    private static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow().awaitTermination(60, TimeUnit.SECONDS);
    }

    @Test
    void bothEndsAreMadeAndTrackedByTheLayerAndTheCallSeesItsConnection() throws Exception {
        try (Running r = Running.start(SmcNettyTesting.declaredSmc(SmcPolicy.DEFAULT, kernelSays(SmcNettyTesting::smcd)))) {
            ManagedChannel channel = r.smcChannel();
            try {
                String mode = ClientCalls.blockingUnaryCall(channel, ModeService.MODE, CALL, "");
                List<String> counted = new ArrayList<>();
                ClientCalls.blockingServerStreamingCall(channel, ModeService.COUNT, CALL, "5").forEachRemaining(counted::add);
                assertThat(counted).containsExactly("1", "2", "3", "4", "5");
                assertThat(mode).startsWith("accepted 127.0.0.1:" + r.server().getPort() + " <- 127.0.0.1:").endsWith(": SMCD");

                List<Channel> toServer = r.smc().tracker().channelsTo(r.address());
                assertThat(toServer).as("the gRPC client's connection, made by the layer").hasSize(1);
                SmcConnectionInfo client = r.smc().tracker().info(toServer.get(0)).toCompletableFuture().get(60, TimeUnit.SECONDS);
                assertThat(client.side()).isEqualTo(SmcConnectionInfo.Side.CLIENT);
                assertThat(client.mode()).isEqualTo(ConnectionMode.SMCD);
                // the server's end names the client's end: one connection, seen from both sides
                assertThat(mode).endsWith("<- " + client.local() + ": SMCD");
                assertThat(r.smc().tracker().openByMode()).containsEntry(ConnectionMode.SMCD, 2L);
            } finally {
                close(channel);
            }
        }
    }

    @Test
    void aClientThatOffersNoSmcIsServedAndItsCallsSeeTheFallbackReason() throws Exception {
        try (Running r = Running.start(SmcNettyTesting.declaredSmc(SmcPolicy.DEFAULT,
                kernelSays(inode -> SmcNettyTesting.fallback(inode, 0x03010000))))) {
            ManagedChannel channel = r.foreignChannel();
            try {
                String mode = ClientCalls.blockingUnaryCall(channel, ModeService.MODE, CALL, "");
                assertThat(mode).endsWith(": FALLBACK_TCP reason 0x03010000 (PEERNOSMC)");
                assertThat(r.smc().tracker().fallbacksByReason()).containsEntry("0x03010000", 1L);
                assertThat(r.smc().tracker().channelsTo(r.address())).as("the foreign client is not the layer's").isEmpty();
            } finally {
                close(channel);
            }
        }
    }

    @Test
    void requiredClosesGrpcConnectionsTheKernelLeftOnTcp() throws Exception {
        try (Running r = Running.start(SmcNettyTesting.declaredSmc(SmcPolicy.of(SmcMode.REQUIRED),
                kernelSays(inode -> SmcNettyTesting.fallback(inode, 0x03010000))))) {
            ManagedChannel channel = r.foreignChannel();
            try {
                // the close follows the kernel's answer, so a first call may still be served: what
                // REQUIRED promises is that the connection does not stay, not that no byte crossed it
                channel.getState(true);
                await().atMost(Duration.ofMinutes(2)).until(() -> r.smc().tracker().requiredClosedByReason().containsKey("0x03010000"));
                await().atMost(Duration.ofMinutes(2)).until(() -> r.smc().tracker().openCount() == 0);
                await("the client lost its connection").atMost(Duration.ofMinutes(2))
                        .until(() -> channel.getState(false) != ConnectivityState.READY && channel.getState(false) != ConnectivityState.CONNECTING);
            } finally {
                close(channel);
            }
        }
    }

    @Test
    void outsideAServerCallThereIsNoConnectionAndTheErrorSaysWhy() {
        assertThatThrownBy(() -> SmcGrpc.connection().toCompletableFuture().get())
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("only calls of a server made by SmcGrpc.serverBuilder have one");
    }

    @Test
    void nullArgumentsAreNamed() {
        SmcNetty smc = SmcNetty.create(SmcPolicy.of(SmcMode.DISABLED));
        assertThatThrownBy(() -> SmcGrpc.channelBuilder(smc, null, null)).hasMessage("`target` must not be null");
        assertThatThrownBy(() -> SmcGrpc.serverBuilder(smc, new InetSocketAddress(0), null, null)).hasMessage("`boss` must not be null");
    }
}
