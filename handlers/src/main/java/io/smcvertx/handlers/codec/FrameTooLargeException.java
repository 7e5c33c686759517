package io.smcvertx.handlers.codec;

/**
 * A frame is larger than its configured limit. Raised as soon as the size is known (from a
 * length header, or once a line has grown past the limit), so the oversize frame is never
 * buffered.
 */
public final class FrameTooLargeException extends FramingException {

    private final String limitName;
    private final long limit;
    private final long size;

    /**
     * @param limitName the config field that sets the limit, e.g. {@code maxFrameSize}
     * @param limit its value in bytes
     * @param size the size seen (for a line still being read: the bytes so far)
     */
    public FrameTooLargeException(String limitName, long limit, long size) {
        super("frame of " + size + " bytes exceeds `" + limitName + "` (" + limit + " bytes)");
        this.limitName = limitName;
        this.limit = limit;
        this.size = size;
    }

    /** The config field that sets the limit. */
    public String limitName() {
        return limitName;
    }

    /** The limit, in bytes. */
    public long limit() {
        return limit;
    }

    /** The offending size, in bytes (at least {@code limit + 1}). */
    public long size() {
        return size;
    }
}
