package io.smcvertx.netty;

import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.SmcSocketApi;
import io.smcvertx.transport.internal.ffm.LibC;

/**
 * Makes the descriptor that replaces a channel's own, given the address family the channel's
 * socket was created with. Tests plug in a plain TCP source to exercise the replacement on a
 * kernel without SMC.
 */
@FunctionalInterface
interface SmcDescriptors {

    int TYPE = LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC;

    /** A new non-blocking, close-on-exec stream socket for {@code family} (AF_INET or AF_INET6). */
    int open(int family) throws SmcNativeException;

    /** SMC sockets through {@code api}, which must be resolved (not AUTO). */
    static SmcDescriptors of(SmcSocketApi api) {
        return switch (api) {
            // the protocol must follow the family Netty created: a mismatch fails connect with EAFNOSUPPORT
            case AF_SMC -> family -> LibC.socket(family == LibC.AF_INET6 ? "socket(AF_SMC, SMCPROTO_SMC6)" : "socket(AF_SMC, SMCPROTO_SMC)",
                    LibC.AF_SMC, TYPE, family == LibC.AF_INET6 ? LibC.SMCPROTO_SMC6 : LibC.SMCPROTO_SMC);
            case IPPROTO_SMC -> family -> LibC.socket(family == LibC.AF_INET6 ? "socket(AF_INET6, IPPROTO_SMC)" : "socket(AF_INET, IPPROTO_SMC)",
                    family, TYPE, LibC.IPPROTO_SMC);
            case AUTO -> throw new IllegalArgumentException("`socketApi` must be resolved before use, got AUTO");
        };
    }
}
