package io.smcvertx.netty.splice;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.util.List;

/**
 * Netty 4.1 has no way to register a descriptor of one's own on an epoll event loop (Netty 4.2's
 * {@code IoEventLoop.register}), so on this build no pair of channels can be spliced:
 * {@link #canSplice} is always false and a caller keeps moving the bytes through Netty. The same
 * signatures as the Netty 4.2 build, so the shared sources compile against both.
 */
public final class ChannelSplice {

    private ChannelSplice() {
    }

    /** Always false on Netty 4.1. */
    public static boolean canSplice(Channel a, Channel b) {
        return false;
    }

    /** Never callable on Netty 4.1 ({@link #canSplice} is false). */
    public static ChannelSplice start(Channel a, Channel b, List<ByteBuf> owedToB, List<ByteBuf> owedToA) {
        throw new UnsupportedOperationException("splicing channels needs Netty 4.2's IoEventLoop.register");
    }

    /** Never reached on Netty 4.1. */
    public Future<Void> done() {
        throw new UnsupportedOperationException();
    }

    public long bytesAToB() {
        return 0;
    }

    public long bytesBToA() {
        return 0;
    }

    public long bytesWrittenToB() {
        return 0;
    }

    public long bytesWrittenToA() {
        return 0;
    }
}
