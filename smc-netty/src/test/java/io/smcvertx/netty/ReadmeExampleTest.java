package io.smcvertx.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's plain-Netty example, compiled and run: on this host it serves plain TCP and says
 * why; {@code NettyLayerIT} shows the same layer in an SMC kernel.
 */
class ReadmeExampleTest {

    @Test
    void plainNettyServerOnTheLayerTellsWhatEachConnectionGot() throws Exception {
        CompletableFuture<String> verdict = new CompletableFuture<>();
        EventLoopGroup group = null;
        try {
            // <readme>
            SmcNetty smc = SmcNetty.create(SmcPolicy.DEFAULT);   // epoll here, NIO where Netty has no epoll; TCP without kernel SMC
            group = smc.newEventLoopGroup(2);
            Channel server = new ServerBootstrap().group(group)
                    .channelFactory(smc.serverChannelFactory())  // SMC listener; policy applied, accepted connections tracked
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            smc.tracker().info(ctx.channel())    // the kernel's word (smc_diag, batched, off the event loop)
                                    .thenAccept(info -> verdict.complete(info.logLine()));
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            // clients: new Bootstrap().group(group).channelFactory(smc.socketChannelFactory()) ...
            // </readme>
            try (Socket client = new Socket("127.0.0.1", ((java.net.InetSocketAddress) server.localAddress()).getPort())) {
                String v = verdict.get(60, TimeUnit.SECONDS);
                System.out.println("README example: " + smc + ": " + v);
                if (smc.smcSockets()) {
                    // a plain java.net.Socket peer does not offer SMC: the kernel says so
                    assertThat(v).contains(": FALLBACK_TCP reason 0x03010000 (PEERNOSMC)");
                } else {
                    assertThat(v).startsWith("accepted 127.0.0.1:").contains(": TCP [SMC unavailable: ");
                }
                assertThat(smc.tracker().listeners()).containsValue(smc.smcSockets() ? "SMC" : "TCP (SMC unavailable)");
            } finally {
                server.close().sync();
            }
        } finally {
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
    }
}
