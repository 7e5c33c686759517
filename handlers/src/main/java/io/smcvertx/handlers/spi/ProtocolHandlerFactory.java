package io.smcvertx.handlers.spi;

import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.ProtocolHandler;

/**
 * Makes the {@link ProtocolHandler} of a TCP listener, selected by {@link #name()}.
 *
 * <p>Found with {@link java.util.ServiceLoader}: register an implementation with
 * {@code provides io.smcvertx.handlers.spi.ProtocolHandlerFactory with ...} in module-info and,
 * for class-path use, in {@code META-INF/services/io.smcvertx.handlers.spi.ProtocolHandlerFactory}.
 * An implementation needs a public no-argument constructor.
 *
 * @since 0.1.0
 */
public interface ProtocolHandlerFactory {

    /**
     * The name a node's config selects this handler by (the {@code handler.name} key), unique
     * among the factories on the path; lower case, e.g. {@code echo}.
     */
    String name();

    /**
     * Makes a handler for one listener. Validates the whole config here, so that a bad config
     * fails the listener before it binds.
     *
     * @throws IllegalArgumentException naming the bad field
     */
    ProtocolHandler create(HandlerConfig config);
}
