package io.smcvertx.netty;

import io.netty.channel.ChannelFactory;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.FallbackReason;
import io.smcvertx.transport.diag.SmcSocketInfo;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;

/**
 * For the host tests of stacks built on this layer (Vert.x, gRPC, Reactor Netty), where the
 * kernel has no SMC: an {@link SmcNetty} over plain epoll channels that are declared SMC sockets,
 * with kernel answers from a stand-in for smc_diag, so the policy, REQUIRED and tracker paths run.
 * What such a test proves is the layer's logic; what the kernel does is proven by lab ITs.
 *
 * <pre>{@code
 * SmcNetty smc = SmcNettyTesting.declaredSmc(SmcPolicy.of(SmcMode.REQUIRED),
 *         inode -> CompletableFuture.completedFuture(Optional.of(SmcNettyTesting.fallback(inode, 0x03010000))));
 * }</pre>
 */
public final class SmcNettyTesting {

    private SmcNettyTesting() {
    }

    /** A layer over plain epoll channels declared SMC sockets; {@code kernel} answers every lookup by inode. */
    public static SmcNetty declaredSmc(SmcPolicy policy, LongFunction<CompletionStage<Optional<SmcSocketInfo>>> kernel) {
        return SmcNetty.create(policy, new DeclaredSmc(), kernel::apply);
    }

    /** What smc_diag says about a socket that fell back for {@code reason} (peer diagnosis none). */
    public static SmcSocketInfo fallback(long inode, int reason) {
        InetSocketAddress any = new InetSocketAddress(0);
        return new SmcSocketInfo(inode, ConnectionMode.FALLBACK_TCP, "ACTIVE", FallbackReason.of(reason), FallbackReason.NONE,
                any, any, 0, 0, 0, 0, 0, Optional.empty(), Optional.empty());
    }

    /** What smc_diag says about an SMC-D socket. */
    public static SmcSocketInfo smcd(long inode) {
        InetSocketAddress any = new InetSocketAddress(0);
        return new SmcSocketInfo(inode, ConnectionMode.SMCD, "ACTIVE", FallbackReason.NONE, FallbackReason.NONE,
                any, any, 0, 1, 65536, 65536, 65536, Optional.empty(), Optional.empty());
    }

    /** Plain epoll channels that the test declares to be SMC sockets, so the SMC code paths run. */
    static final class DeclaredSmc implements ChannelSource {
        @Override
        public ChannelFactory<? extends SocketChannel> client() {
            return EpollSocketChannel::new;
        }

        @Override
        public ChannelFactory<? extends ServerSocketChannel> server() {
            return EpollServerSocketChannel::new;
        }

        @Override
        public boolean smc() {
            return true;
        }

        @Override
        public Optional<String> unavailabilityCause() {
            return Optional.empty();
        }

        @Override
        public SmcChannels.Transport transport() {
            return SmcChannels.Transport.EPOLL;
        }

        @Override
        public String transportReason() {
            return "epoll: test stand-in (plain epoll channels declared SMC)";
        }
    }
}
