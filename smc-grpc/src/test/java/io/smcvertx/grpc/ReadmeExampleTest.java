package io.smcvertx.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.stub.ClientCalls;
import io.netty.channel.EventLoopGroup;
import io.smcvertx.netty.SmcNetty;
import io.smcvertx.netty.SmcPolicy;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's gRPC example, compiled and run: on this host the layer serves plain TCP and every
 * call says why; {@code GrpcOverSmcIT} (smc-grpc-example) shows the same code SMCD in the lab.
 */
class ReadmeExampleTest {

    @Test
    void grpcServerAndChannelOnTheLayerAndEachCallKnowsItsConnection() throws Exception {
        var service = ModeService.definition();
        // <readme>
        SmcNetty smc = SmcNetty.create(SmcPolicy.DEFAULT);      // one layer: factories, policy, tracker
        EventLoopGroup boss = smc.newEventLoopGroup(1);
        EventLoopGroup workers = smc.newEventLoopGroup(2);
        Server server = SmcGrpc.serverBuilder(smc, new InetSocketAddress("127.0.0.1", 0), boss, workers)
                .addService(service)    // in a call: SmcGrpc.connection().thenAccept(info -> ... info.mode() ...)
                .build().start();
        ManagedChannel channel = SmcGrpc.channelBuilder(smc, new InetSocketAddress("127.0.0.1", server.getPort()), workers)
                .usePlaintext()
                .build();
        // </readme>
        try {
            String mode = ClientCalls.blockingUnaryCall(channel, ModeService.MODE, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), "");
            List<String> counted = new ArrayList<>();
            ClientCalls.blockingServerStreamingCall(channel, ModeService.COUNT, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), "3")
                    .forEachRemaining(counted::add);
            System.out.println("README example: " + smc + ": the server says: " + mode);
            assertThat(counted).containsExactly("1", "2", "3");
            assertThat(mode).startsWith("accepted 127.0.0.1:" + server.getPort() + " <- 127.0.0.1:");
            if (smc.smcSockets()) {
                assertThat(mode).contains(": SMCD"); // both ends on one kernel's loopback-ISM
            } else {
                assertThat(mode).contains(": TCP [SMC unavailable: ");
            }
        } finally {
            channel.shutdownNow().awaitTermination(60, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(60, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
