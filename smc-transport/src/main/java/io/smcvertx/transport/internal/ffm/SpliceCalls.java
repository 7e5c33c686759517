package io.smcvertx.transport.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.smcvertx.transport.SmcNativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The calls of a kernel splice between two sockets (pipe2, splice, read, write, shutdown), for a hot
 * path: unlike {@link LibC} nothing is allocated per call and nothing throws for an expected
 * outcome. Each call returns its result, or {@code -errno}, read from a capture segment that the
 * caller allocates once ({@link #newCallState}) and uses from one thread.
 */
public final class SpliceCalls {

    /** splice(2): do not block on the pipe (the sockets are non-blocking already). */
    public static final int SPLICE_F_NONBLOCK = 0x02;
    /** splice(2): move pages rather than copy where the kernel can. */
    public static final int SPLICE_F_MOVE = 0x01;
    public static final int SHUT_WR = 1;
    public static final int O_NONBLOCK = 0x800;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle PIPE2 = handle("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SPLICE = handle("splice",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle WRITE = handle("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle READ = handle("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle SHUTDOWN = handle("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private SpliceCalls() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
    }

    /** A capture segment for the calls below; use it from one thread at a time. */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    private static long result(long rc, MemorySegment st) {
        return rc < 0 ? -(int) ERRNO.get(st, 0L) : rc;
    }

    /** A non-blocking, close-on-exec pipe: {@code {readEnd, writeEnd}}. */
    public static int[] pipe(Arena arena) throws SmcNativeException {
        MemorySegment st = newCallState(arena);
        MemorySegment fds = arena.allocate(JAVA_INT, 2);
        try {
            int rc = (int) PIPE2.invokeExact(st, fds, O_NONBLOCK | LibC.O_CLOEXEC);
            if (rc < 0) {
                throw Errno.exception("pipe2", (int) ERRNO.get(st, 0L));
            }
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("pipe2 downcall failed", t);
        }
        return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
    }

    /** splice(2) of up to {@code len} bytes from {@code in} to {@code out}: bytes moved, 0 at end of input, or -errno. */
    public static long splice(MemorySegment st, int in, int out, long len, int flags) {
        try {
            return result((long) SPLICE.invokeExact(st, in, MemorySegment.NULL, out, MemorySegment.NULL, len, flags), st);
        } catch (Throwable t) {
            throw new IllegalStateException("splice downcall failed", t);
        }
    }

    /** write(2) of {@code bytes} (native memory): bytes written, or -errno. */
    public static long write(MemorySegment st, int fd, MemorySegment bytes) {
        try {
            return result((long) WRITE.invokeExact(st, fd, bytes, bytes.byteSize()), st);
        } catch (Throwable t) {
            throw new IllegalStateException("write downcall failed", t);
        }
    }

    /** read(2) into {@code into} (native memory): bytes read, 0 at the end, or -errno. */
    public static long read(MemorySegment st, int fd, MemorySegment into) {
        try {
            return result((long) READ.invokeExact(st, fd, into, into.byteSize()), st);
        } catch (Throwable t) {
            throw new IllegalStateException("read downcall failed", t);
        }
    }

    /** shutdown(2): 0, or -errno. */
    public static int shutdown(MemorySegment st, int fd, int how) {
        try {
            return (int) result((int) SHUTDOWN.invokeExact(st, fd, how), st);
        } catch (Throwable t) {
            throw new IllegalStateException("shutdown downcall failed", t);
        }
    }
}
