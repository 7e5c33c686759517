package io.smcvertx.disni.pingpong;

import java.io.IOException;

/** The client end of one connection of the ping-pong. */
interface PingPongLink extends AutoCloseable {

    /**
     * Sends one message carrying {@code sequence} and waits for its echo, which must carry the
     * same sequence number: a trip is only counted when the data came back intact.
     */
    void trip(long sequence) throws IOException;

    /** Tells the server this connection is done, then releases it. */
    @Override
    void close() throws IOException;
}
