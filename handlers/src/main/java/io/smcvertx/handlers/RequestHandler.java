package io.smcvertx.handlers;

import io.smallrye.mutiny.Uni;

/**
 * The logic of a request/response protocol: one reply per decoded request. Turned into a
 * {@link ProtocolHandler} by {@link ProtocolHandler#requestResponse}.
 */
@FunctionalInterface
public interface RequestHandler {

    /**
     * Answers one request. A failed {@code Uni} closes the connection; to report an error to the
     * client, reply with an error frame instead.
     *
     * @param connection the connection the request came on
     * @param request one decoded request, without its delimiter
     * @return the reply, without its delimiter
     */
    Uni<Frame> handle(ConnectionInfo connection, Frame request);
}
