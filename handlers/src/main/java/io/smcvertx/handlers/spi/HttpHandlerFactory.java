package io.smcvertx.handlers.spi;

import io.smcvertx.handlers.HandlerConfig;
import io.vertx.ext.web.Router;

/**
 * Makes the request handling of an HTTP listener as a vert.x-web {@link Router}, selected by
 * {@link #name()}.
 *
 * <p>HTTP is not a {@link io.smcvertx.handlers.ProtocolHandler}: Vert.x's HttpServer already
 * parses HTTP with backpressure, so an HTTP handler is a router the node mounts with
 * {@code httpServer.requestHandler(router)} (or as a sub-router). Registered and found like
 * {@link ProtocolHandlerFactory}, in
 * {@code META-INF/services/io.smcvertx.handlers.spi.HttpHandlerFactory}.
 *
 * @since 0.1.0
 */
public interface HttpHandlerFactory {

    /** The name a node's config selects this handler by; unique among all handler factories. */
    String name();

    /**
     * Makes the router for one listener, on {@link HandlerConfig#requireVertx()}.
     *
     * @throws IllegalArgumentException naming the bad field
     */
    Router create(HandlerConfig config);
}
