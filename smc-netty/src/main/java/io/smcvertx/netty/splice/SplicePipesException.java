package io.smcvertx.netty.splice;

import io.smcvertx.transport.SmcNativeException;

/**
 * {@link ChannelSplice#start} could not make its pipes (out of descriptors, as a rule) and left
 * both channels as they were: open, deregistered, and the owed buffers still the caller's.
 */
public final class SplicePipesException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** {@code cause}: the failed {@code pipe2}. */
    public SplicePipesException(SmcNativeException cause) {
        super("could not create the splice pipes: " + cause.getMessage(), cause);
    }
}
