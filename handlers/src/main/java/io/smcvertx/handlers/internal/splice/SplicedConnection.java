package io.smcvertx.handlers.internal.splice;

import io.vertx.core.Future;

/**
 * What {@code ConnectionPipe} reports for a connection a {@link SpliceHandler} took over: the
 * same lifecycle and counters as the Frame path, for the connection's own socket.
 */
public interface SplicedConnection {

    /** Completes when the connection's socket has closed. */
    Future<Void> closed();

    /** Why this side closed the connection, or {@code null}. */
    Throwable failure();

    /** Closes the connection now. */
    Future<Void> close();

    /** Bytes read from the socket. */
    long bytesRead();

    /** Bytes written to the socket. */
    long bytesWritten();

    /** Bytes handed to the socket and not yet written. */
    long bufferedBytes();

    /** The highest {@link #bufferedBytes()} so far. */
    long maxBufferedBytes();

    /** Writes handed to the socket that have not completed. */
    int pendingWrites();

    /** Whether the socket's reading is paused (its bytes have nowhere to go yet). */
    boolean isReadPaused();
}
