package io.smcvertx.netty.splice;

import io.smcvertx.transport.internal.ffm.Errno;
import io.smcvertx.transport.internal.ffm.SpliceCalls;
import java.lang.foreign.MemorySegment;

/**
 * One direction of a kernel splice: bytes go from {@code src} into a pipe and from the pipe to
 * {@code dst}, never through user space. Bytes read before the splice took over ({@code owed})
 * go first. It reads only while the pipe is empty, so a splice into the pipe that finds nothing
 * ({@code EAGAIN}) always means the source has nothing, never that the pipe is full. At the
 * source's end, once everything is written, {@code dst}'s sending side is shut down.
 */
final class Direction {

    /** Bytes asked of one splice into the pipe: the pipe's default capacity (16 pages). */
    static final long CHUNK = 64 * 1024;
    /** Read-then-write rounds per readiness event before the event loop gets the thread back. */
    private static final int ROUNDS = 16;
    private static final int FLAGS = SpliceCalls.SPLICE_F_NONBLOCK | SpliceCalls.SPLICE_F_MOVE;

    private final int src;
    private final int dst;
    private final int pipeRead;
    private final int pipeWrite;
    private MemorySegment owed;
    private long inPipe;
    private boolean srcEnded;
    private boolean dstShut;
    private volatile long read;
    private volatile long written;

    Direction(int src, int dst, int[] pipe, MemorySegment owed) {
        this.src = src;
        this.dst = dst;
        this.pipeRead = pipe[0];
        this.pipeWrite = pipe[1];
        this.owed = owed.byteSize() == 0 ? null : owed;
        this.read = owed.byteSize();
    }

    /**
     * Moves what the sockets take now. Returns 0, or the negative errno of a call that failed
     * (the connection is then beyond repair: reset, or written after the peer left).
     */
    int pump(MemorySegment st) {
        for (int round = 0; round < ROUNDS; round++) {
            if (owed != null) {
                long n = SpliceCalls.write(st, dst, owed);
                if (n < 0) {
                    return again(n);
                }
                written += n;
                owed = n == owed.byteSize() ? null : owed.asSlice(n);
                if (owed != null) {
                    return 0; // dst is full: wait for it
                }
            }
            if (inPipe > 0) {
                long n = SpliceCalls.splice(st, pipeRead, dst, inPipe, FLAGS);
                if (n < 0) {
                    return again(n);
                }
                inPipe -= n;
                written += n;
                if (inPipe > 0) {
                    return 0;
                }
            }
            if (srcEnded) {
                if (!dstShut) {
                    dstShut = true;
                    int rc = SpliceCalls.shutdown(st, dst, SpliceCalls.SHUT_WR);
                    // the peer may have left already: its end is what a shutdown would have told it
                    if (rc < 0 && rc != -Errno.ENOTCONN) {
                        return rc;
                    }
                }
                return 0;
            }
            long n = SpliceCalls.splice(st, src, pipeWrite, CHUNK, FLAGS);
            if (n < 0) {
                return again(n);
            }
            if (n == 0) {
                srcEnded = true;
            } else {
                inPipe = n;
                read += n;
            }
        }
        return 0;
    }

    private static int again(long rc) {
        return rc == -Errno.EAGAIN ? 0 : (int) rc;
    }

    /** Whether the source should be watched for input: the pipe is empty and the source has not ended. */
    boolean wantsInput() {
        return !srcEnded && inPipe == 0 && owed == null;
    }

    /** Whether the destination should be watched for room: bytes wait for it. */
    boolean wantsOutput() {
        return inPipe > 0 || owed != null;
    }

    /** The source ended and everything it sent was written and the destination's sending side shut. */
    boolean finished() {
        return dstShut;
    }

    /** Grows with every byte moved and every end reached: equal before and after means nothing happened. */
    long progress() {
        return read + written + (srcEnded ? 1 : 0) + (dstShut ? 1 : 0);
    }

    long bytesRead() {
        return read;
    }

    long bytesWritten() {
        return written;
    }

    /** A summary for the log: how far this direction got. */
    String state() {
        return "read " + read + ", written " + written + (srcEnded ? ", source ended" : "") + (dstShut ? ", shut" : "");
    }
}
