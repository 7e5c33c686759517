package io.smcvertx.netty.splice;

import io.smcvertx.transport.internal.ffm.Errno;
import io.smcvertx.transport.internal.ffm.SpliceCalls;
import java.lang.foreign.MemorySegment;

/**
 * One direction of a kernel splice: bytes go from {@code src} into a pipe and from the pipe to
 * {@code dst}, never through user space. Bytes read before the splice took over ({@code owed})
 * go first. It reads only while the pipe is empty, so a splice into the pipe that finds nothing
 * ({@code EAGAIN}) always means the source has nothing, never that the pipe is full. At the
 * source's end, once everything is written, {@code dst}'s sending side is shut down. A source is
 * read again only once epoll reports it readable after a read found nothing, which keeps a 64 B
 * round trip to three calls (read, write, the read that finds nothing).
 */
final class Direction {

    /** Bytes asked of one splice into the pipe: the pipe's default capacity (16 pages). */
    static final long CHUNK = 64 * 1024;
    private static final int FLAGS = SpliceCalls.SPLICE_F_NONBLOCK | SpliceCalls.SPLICE_F_MOVE;

    private final int src;
    private final int dst;
    private final int pipeRead;
    private final int pipeWrite;
    private final MemorySegment copyBuffer;
    private MemorySegment owed;
    private long inPipe;
    private boolean srcEnded;
    private boolean dstShut;
    private boolean writeFailed;
    private boolean readable = true;
    private int error;
    private volatile long read;
    private volatile long written;

    /**
     * @param copyBuffer null to splice; else the source is read into this native buffer and
     *     written from it (an SMC source: see {@link ChannelSplice})
     */
    Direction(int src, int dst, int[] pipe, MemorySegment owed, MemorySegment copyBuffer) {
        this.src = src;
        this.dst = dst;
        this.pipeRead = pipe[0];
        this.pipeWrite = pipe[1];
        this.copyBuffer = copyBuffer;
        this.owed = owed.byteSize() == 0 ? null : owed;
        this.read = owed.byteSize();
    }

    /**
     * Reads from the source into the pipe, if the pipe is empty: 1 if that moved bytes or found
     * the end, 0 if the source had nothing. A read that fails (a reset) counts as the source's
     * end, with the error kept: what is already in the pipe still goes out.
     */
    int fill(MemorySegment st) {
        if (!readable || srcEnded || stopped() || inPipe > 0 || owed != null) {
            return 0;
        }
        long n = copyBuffer == null ? SpliceCalls.splice(st, src, pipeWrite, CHUNK, FLAGS) : SpliceCalls.read(st, src, copyBuffer);
        if (n == -Errno.EAGAIN) {
            readable = false; // until epoll says otherwise: no read that would only find nothing
            return 0;
        }
        if (n < 0) {
            error = (int) n;
            srcEnded = true;
        } else if (n == 0) {
            srcEnded = true;
        } else if (copyBuffer != null) {
            owed = copyBuffer.asSlice(0, n); // written by drain before the next read reuses the buffer
            read += n;
        } else {
            inPipe = n;
            read += n;
        }
        return 1;
    }

    /**
     * Writes what is owed and what is in the pipe to the destination and, at the source's end
     * with nothing left, shuts the destination's sending side: 1 if anything happened, 0 if the
     * destination had no room. A write that fails ends this direction (its bytes cannot arrive).
     */
    int drain(MemorySegment st) {
        if (stopped()) {
            return 0;
        }
        int moved = 0;
        if (owed != null) {
            long n = SpliceCalls.write(st, dst, owed);
            if (n < 0) {
                return n == -Errno.EAGAIN ? 0 : writeFailed(n);
            }
            written += n;
            moved = 1;
            owed = n == owed.byteSize() ? null : owed.asSlice(n);
            if (owed != null) {
                return moved; // dst is full: wait for it
            }
        }
        if (inPipe > 0) {
            long n = SpliceCalls.splice(st, pipeRead, dst, inPipe, FLAGS);
            if (n < 0) {
                return n == -Errno.EAGAIN ? moved : writeFailed(n);
            }
            inPipe -= n;
            written += n;
            moved = 1;
            if (inPipe > 0) {
                return moved;
            }
        }
        if (srcEnded && !dstShut) {
            dstShut = true;
            int rc = SpliceCalls.shutdown(st, dst, SpliceCalls.SHUT_WR);
            // the peer may have left already: its end is what a shutdown would have told it
            if (rc < 0 && rc != -Errno.ENOTCONN && error == 0) {
                error = rc;
            }
            moved = 1;
        }
        return moved;
    }

    /** Whether the source has ended (or failed): nothing more will be read from it. */
    boolean sourceEnded() {
        return srcEnded || stopped();
    }

    /** epoll reported the source readable (or in error, or hung up): the next {@link #fill} reads. */
    void readable() {
        readable = true;
    }

    private int writeFailed(long rc) {
        if (error == 0) {
            error = (int) rc;
        }
        writeFailed = true;
        return 1;
    }

    private boolean stopped() {
        return writeFailed || dstShut;
    }

    /** The first call that failed in this direction, as {@code -errno}; 0 if none. */
    int error() {
        return error;
    }

    /** Whether the source should be watched for input: the pipe is empty and the source has not ended. */
    boolean wantsInput() {
        return !srcEnded && !stopped() && inPipe == 0 && owed == null;
    }

    /** Whether the destination should be watched for room: bytes wait for it. */
    boolean wantsOutput() {
        return !stopped() && (inPipe > 0 || owed != null);
    }

    /**
     * Nothing more will move: the source ended (or failed) and everything was written and the
     * destination's sending side shut, or a write failed.
     */
    boolean finished() {
        return stopped();
    }

    /** Grows with every byte moved and every end reached: equal before and after means nothing happened. */
    long progress() {
        return read + written + (srcEnded ? 1 : 0) + (dstShut ? 1 : 0) + (writeFailed ? 1 : 0);
    }

    long bytesRead() {
        return read;
    }

    long bytesWritten() {
        return written;
    }

    /** A summary for the log: how far this direction got. */
    String state() {
        return "read " + read + ", written " + written + (srcEnded ? ", source ended" : "") + (dstShut ? ", shut" : "")
                + (error != 0 ? ", " + Errno.name(-error) : "");
    }
}
