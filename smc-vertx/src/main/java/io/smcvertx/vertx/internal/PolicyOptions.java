package io.smcvertx.vertx.internal;

import io.netty.channel.unix.IntegerUnixChannelOption;

/** The one socket option the policy uses. */
final class PolicyOptions {

    /**
     * {@code setsockopt(SOL_TCP, TCP_FASTOPEN, 0)}: on an SMC socket still in its INIT state the
     * kernel switches to fallback (decline 0x03060000) and points the descriptor at its internal
     * TCP socket, so every later syscall goes to TCP directly (net/smc/af_smc.c,
     * smc_switch_to_fallback). A queue length of 0 leaves TCP Fast Open itself off.
     */
    static final IntegerUnixChannelOption FORCE_TCP = new IntegerUnixChannelOption("TCP_FASTOPEN", 6, 23);

    private PolicyOptions() {
    }
}
