package io.smcvertx.handlers.codec;

/**
 * The bytes on a connection break its framing (a truncated or malformed frame). It fails that
 * connection's stream only; the listener goes on.
 */
public class FramingException extends RuntimeException {

    /** A framing error with a message saying what was wrong. */
    public FramingException(String message) {
        super(message);
    }
}
