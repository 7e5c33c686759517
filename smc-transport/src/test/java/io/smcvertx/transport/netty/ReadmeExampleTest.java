package io.smcvertx.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.smcvertx.transport.SmcConfig;
import io.smcvertx.transport.diag.SmcDiag;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's example, compiled and run: on the host it serves plain TCP and smc_diag is absent. */
class ReadmeExampleTest {

    @Test
    void readmeExampleServesAndAsksTheKernel() throws Exception {
        CompletableFuture<String> verdict = new CompletableFuture<>();
        EventLoopGroup group = null;
        try (SmcDiag diag = SmcDiag.open()) {
            // <readme>
            SmcChannels smc = SmcChannels.create(SmcConfig.defaults());       // PREFERRED: plain TCP if the kernel has no SMC
            group = new MultiThreadIoEventLoopGroup(smc.ioHandlerFactory());
            Channel server = new ServerBootstrap().group(group)
                    .channelFactory(smc.serverChannelFactory())
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(io.netty.channel.ChannelHandlerContext ctx) throws Exception {
                            diag.lookup(SmcChannels.inode(ctx.channel()))     // batched smc_diag, off the event loop
                                    .whenComplete((info, error) -> verdict.complete(error != null ? "no smc_diag: " + error
                                            : info.map(i -> i.mode() + " " + i.fallbackReason()).orElse("not an SMC socket")));
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            // </readme>
            try (Socket client = new Socket("127.0.0.1", ((java.net.InetSocketAddress) server.localAddress()).getPort())) {
                String v = verdict.get(60, TimeUnit.SECONDS);
                if (smc.usesSmc()) {
                    // a plain java.net.Socket peer does not offer SMC: the kernel says so
                    assertThat(v).startsWith("FALLBACK_TCP").contains("0x03010000");
                } else {
                    assertThat(v).satisfiesAnyOf(s -> assertThat(s).startsWith("no smc_diag"),
                            s -> assertThat(s).isEqualTo("not an SMC socket"));
                }
            } finally {
                server.close().sync();
            }
        } catch (ExecutionException e) {
            throw e;
        } finally {
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
    }
}
