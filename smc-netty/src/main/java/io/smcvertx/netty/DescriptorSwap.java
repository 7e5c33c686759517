package io.smcvertx.netty;

import io.netty.channel.ChannelException;
import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.internal.ffm.LibC;

/**
 * Puts an SMC socket under a channel's descriptor number with {@code dup3}, so the channel keeps
 * its own idea of being unconnected (an adopted fresh descriptor would count as active: see
 * STACK.md). The options the channel's constructor set on its old socket are carried over, since
 * they belong to the socket, not to the number.
 */
final class DescriptorSwap {

    /** level, name pairs a Netty or JDK channel constructor sets on a fresh socket. */
    private static final int[][] CLIENT_OPTIONS = {{LibC.SOL_TCP, LibC.TCP_NODELAY}};
    private static final int[][] SERVER_OPTIONS = {{LibC.SOL_SOCKET, LibC.SO_REUSEADDR}};
    private static final int[] V6ONLY = {LibC.IPPROTO_IPV6, LibC.IPV6_V6ONLY};

    private DescriptorSwap() {
    }

    /**
     * Replaces the socket behind {@code target}. When this throws, {@code target} still holds its
     * old socket untouched: the caller may use it as a plain channel or close it. A
     * {@link ChannelException} means the SMC socket is in place but not configured: close it.
     */
    static void swap(int target, boolean server, SmcDescriptors source) throws SmcNativeException {
        int family = LibC.socketFamily(target);
        int[][] options = server ? SERVER_OPTIONS : CLIENT_OPTIONS;
        int[] before = new int[options.length];
        for (int i = 0; i < options.length; i++) {
            before[i] = LibC.getsockoptInt("getsockopt", target, options[i][0], options[i][1]);
        }
        int v6onlyBefore = family == LibC.AF_INET6 ? LibC.getsockoptInt("getsockopt(IPV6_V6ONLY)", target, V6ONLY[0], V6ONLY[1]) : 0;
        int smcFd = source.open(family);
        try {
            LibC.dup3(smcFd, target, LibC.O_CLOEXEC);
        } finally {
            LibC.closeQuietly(smcFd);
        }
        // from here on target is the new socket: a failure leaves it half-configured, never plain
        try {
            for (int i = 0; i < options.length; i++) {
                carry(target, options[i][0], options[i][1], before[i]);
            }
            if (family == LibC.AF_INET6) {
                carry(target, V6ONLY[0], V6ONLY[1], v6onlyBefore);
            }
        } catch (SmcNativeException e) {
            throw new ChannelException("SMC socket in place but its options could not be carried over: " + e.getMessage(), e);
        }
    }

    private static void carry(int fd, int level, int name, int value) throws SmcNativeException {
        if (LibC.getsockoptInt("getsockopt", fd, level, name) != value) {
            LibC.setsockoptInt("setsockopt(" + level + ", " + name + ")", fd, level, name, value);
        }
    }
}
