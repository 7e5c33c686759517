package example;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.smcvertx.netty.SmcNetty;
import io.smcvertx.netty.SmcPolicy;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * smc-netty's README example as a user would paste it into an application: a plain Netty server
 * on the SMC layer, one plain client, and the kernel's word on the connection. Prints the layer
 * and the verdict; exits 1 if there is no verdict.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        CompletableFuture<String> verdict = new CompletableFuture<>();
        SmcNetty smc = SmcNetty.create(SmcPolicy.DEFAULT);
        EventLoopGroup group = smc.newEventLoopGroup(2);
        try {
            Channel server = new ServerBootstrap().group(group)
                    .channelFactory(smc.serverChannelFactory())
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            smc.tracker().info(ctx.channel()).thenAccept(info -> verdict.complete(info.logLine()));
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
                System.out.println("layer: " + smc);
                System.out.println("verdict: " + verdict.get(120, TimeUnit.SECONDS));
            } finally {
                server.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
