package io.smcvertx.netty;

import io.netty.channel.Channel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.internal.ffm.Errno;
import io.smcvertx.transport.internal.ffm.LibC;
import java.util.Objects;
import java.util.Optional;

/**
 * Socket options that matter on SMC sockets, as Netty channel options. On epoll channels they
 * work like any {@code ChannelOption} ({@code bootstrap.option(SMC_LIMIT_HS, 1)}); for channels
 * of either transport made by {@link SmcChannels} (NIO has no way to pass a raw option),
 * {@link #set(Channel, IntegerUnixChannelOption, int)} applies them to the descriptor.
 */
public final class SmcChannelOptions {

    /**
     * {@code setsockopt(SOL_SMC, SMC_LIMIT_HS, 1)}: limit the SMC handshake when the server is
     * under load (too many handshakes in flight make new ones fall back to TCP instead of
     * waiting); SOL_SMC 286, optname 1.
     */
    public static final IntegerUnixChannelOption SMC_LIMIT_HS =
            new IntegerUnixChannelOption("SMC_LIMIT_HS", LibC.SOL_SMC, LibC.SMC_LIMIT_HS);

    /**
     * {@code setsockopt(SOL_TCP, TCP_FASTOPEN, 0)} on an SMC socket still in its INIT state: the
     * kernel switches the socket to fallback (decline 0x03060000, OPTUNSUPP) and points the
     * descriptor at its internal TCP socket, so every later syscall goes to TCP directly
     * (net/smc/af_smc.c, smc_switch_to_fallback). A queue length of 0 leaves TCP Fast Open itself
     * off. This is how a destination rule {@code TCP} of {@link SmcPolicy} sends a client to TCP.
     * Never use it on a listener: see {@link SmcChannels#replaceWithTcp}.
     */
    public static final IntegerUnixChannelOption FORCE_TCP_FALLBACK =
            new IntegerUnixChannelOption("TCP_FASTOPEN", LibC.SOL_TCP, 23);

    /**
     * {@code getsockopt(SOL_SOCKET, SO_ERROR)}: the socket's pending error (reading it clears it).
     * When the kernel kills an SMC-R connection because its link group went away (its only link
     * down, its RDMA device removed: net/smc/smc_core.c {@code smc_conn_kill}), the socket is
     * closed under the process: a read answers ENOTCONN (Netty: {@code NotYetConnectedException},
     * no errno) and a write EPIPE; the reason, ECONNABORTED, is only here. See
     * {@link #pendingError(Channel)}.
     */
    public static final IntegerUnixChannelOption SO_ERROR =
            new IntegerUnixChannelOption("SO_ERROR", LibC.SOL_SOCKET, LibC.SO_ERROR);

    private SmcChannelOptions() {
    }

    /**
     * Sets one of these options (or any integer option) on a channel's socket directly, epoll or
     * NIO alike.
     *
     * @throws SmcNativeException with the kernel's errno when {@code setsockopt} fails
     * @throws UnsupportedOperationException for a channel whose descriptor cannot be reached
     */
    public static void set(Channel channel, IntegerUnixChannelOption option, int value) throws SmcNativeException {
        Objects.requireNonNull(option, "`option` must not be `null`");
        LibC.setsockoptInt("setsockopt(" + option.name() + ")", SmcChannels.fd(channel), option.level(), option.optname(), value);
    }

    /** Reads an integer option from a channel's socket directly, epoll or NIO alike. */
    public static int get(Channel channel, IntegerUnixChannelOption option) throws SmcNativeException {
        Objects.requireNonNull(option, "`option` must not be `null`");
        return LibC.getsockoptInt("getsockopt(" + option.name() + ")", SmcChannels.fd(channel), option.level(), option.optname());
    }

    /**
     * The channel's pending socket error ({@link #SO_ERROR}, cleared by this call) as the kernel's
     * errno, e.g. {@code ECONNABORTED (103, Software caused connection abort)}; empty when there is
     * none. Ask it while the channel is still open, e.g. in the exception handler that got a
     * {@code NotYetConnectedException} from an SMC connection.
     */
    public static Optional<String> pendingError(Channel channel) throws SmcNativeException {
        int errno = get(channel, SO_ERROR);
        return errno == 0 ? Optional.empty()
                : Optional.of(Errno.name(errno) + " (" + errno + ", " + Errno.description(errno) + ")");
    }
}
