package io.smcvertx.handlers.internal.splice;

import io.smcvertx.handlers.ConnectionInfo;
import io.vertx.core.net.NetSocket;

/**
 * A handler that can serve a connection below the Frame SPI, on the socket's own buffers.
 * {@code ConnectionPipe} offers each socket to it first; a handler that declines (returns
 * {@code null}, e.g. because the socket is not a Vert.x stream channel) is served through its
 * {@code handle} method like any other.
 */
public interface SpliceHandler {

    /**
     * Takes the connection over, on its event loop; must not block.
     *
     * @return the connection's state, or {@code null} to be served through the Frame SPI instead
     */
    SplicedConnection splice(NetSocket socket, ConnectionInfo info);
}
