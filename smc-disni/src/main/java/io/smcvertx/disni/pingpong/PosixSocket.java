package io.smcvertx.disni.pingpong;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;

/**
 * A blocking IPv4 stream socket on a raw descriptor, through FFM: the same code serves TCP
 * ({@code socket(AF_INET, SOCK_STREAM, 0)}) and SMC ({@code socket(AF_SMC, SOCK_STREAM,
 * SMCPROTO_SMC)}), so the ping-pong's two socket legs differ only in that one call. The JDK's
 * socket classes cannot make an SMC socket.
 */
final class PosixSocket implements AutoCloseable {

    static final int AF_INET = 2;
    static final int AF_SMC = 43;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SMCPROTO_SMC = 0;
    private static final int SOL_SOCKET = 1;
    private static final int SO_REUSEADDR = 2;
    private static final int SO_RCVTIMEO = 20;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_NODELAY = 1;

    /** struct sockaddr_in: family (host order), port and address (network order), 8 bytes of zeros. */
    private static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("family"),
            ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withName("port"),
            ValueLayout.JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withName("addr"),
            MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_BYTE).withName("zero"));
    private static final VarHandle FAMILY = SOCKADDR_IN.varHandle(MemoryLayout.PathElement.groupElement("family"));
    private static final VarHandle PORT = SOCKADDR_IN.varHandle(MemoryLayout.PathElement.groupElement("port"));
    private static final VarHandle ADDR = SOCKADDR_IN.varHandle(MemoryLayout.PathElement.groupElement("addr"));
    /** struct timeval. */
    private static final StructLayout TIMEVAL = MemoryLayout.structLayout(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);

    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout INT = ValueLayout.JAVA_INT;
    private static final ValueLayout PTR = ValueLayout.ADDRESS;
    private static final ValueLayout SIZE = ValueLayout.JAVA_LONG;
    private static final MethodHandle SOCKET = downcall("socket", INT, INT, INT, INT);
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt", INT, INT, INT, INT, PTR, INT);
    private static final MethodHandle BIND = downcall("bind", INT, INT, PTR, INT);
    private static final MethodHandle LISTEN = downcall("listen", INT, INT, INT);
    private static final MethodHandle ACCEPT = downcall("accept4", INT, INT, PTR, PTR, INT);
    private static final MethodHandle CONNECT = downcall("connect", INT, INT, PTR, INT);
    private static final MethodHandle READ = downcall("read", SIZE, INT, PTR, SIZE);
    private static final MethodHandle WRITE = downcall("write", SIZE, INT, PTR, SIZE);
    private static final MethodHandle CLOSE = downcall("close", INT, INT);

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = arena.allocate(CALL_STATE);

    private PosixSocket(int fd) {
        this.fd = fd;
    }

    /** A new blocking stream socket: {@code family} {@link #AF_INET} (TCP) or {@link #AF_SMC} (SMC, IPv4). */
    static PosixSocket open(int family) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            int fd = (int) SOCKET.invokeExact(st, family, SOCK_STREAM | SOCK_CLOEXEC, family == AF_SMC ? SMCPROTO_SMC : 0);
            if (fd < 0) {
                throw failure("socket(" + (family == AF_SMC ? "AF_SMC" : "AF_INET") + ")", (int) ERRNO_VALUE.get(st, 0L));
            }
            return new PosixSocket(fd);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("socket() could not be called", t);
        }
    }

    /** The descriptor number (for logs; the kernel's smc_diag is matched by address instead). */
    int fd() {
        return fd;
    }

    void bindAndListen(InetSocketAddress local, int backlog) throws IOException {
        setInt("setsockopt(SO_REUSEADDR)", SOL_SOCKET, SO_REUSEADDR, 1);
        MemorySegment sa = sockaddr(local);
        check("bind(" + local + ")", call(BIND, sa, (int) SOCKADDR_IN.byteSize()));
        check("listen", call(LISTEN, backlog));
    }

    PosixSocket accept() throws IOException {
        int child = check("accept4", call(ACCEPT, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC));
        return new PosixSocket(child);
    }

    void connect(InetSocketAddress remote) throws IOException {
        check("connect(" + remote + ")", call(CONNECT, sockaddr(remote), (int) SOCKADDR_IN.byteSize()));
    }

    /** TCP_NODELAY (for an SMC socket it goes to the TCP socket of its handshake and its fallback). */
    void noDelay() throws IOException {
        setInt("setsockopt(TCP_NODELAY)", IPPROTO_TCP, TCP_NODELAY, 1);
    }

    /** A read that blocks longer than {@code millis} fails with EAGAIN instead of hanging. */
    void receiveTimeout(long millis) throws IOException {
        MemorySegment tv = arena.allocate(TIMEVAL);
        tv.set(ValueLayout.JAVA_LONG, 0, millis / 1000);
        tv.set(ValueLayout.JAVA_LONG, 8, (millis % 1000) * 1000);
        check("setsockopt(SO_RCVTIMEO)", call(SETSOCKOPT, SOL_SOCKET, SO_RCVTIMEO, tv, (int) TIMEVAL.byteSize()));
    }

    /** Writes all of {@code buffer[0, length)}. */
    void writeFully(MemorySegment buffer, long length) throws IOException {
        for (long done = 0; done < length; ) {
            done += transfer(WRITE, "write", buffer.asSlice(done), length - done);
        }
    }

    /** Reads exactly {@code length} bytes; false when the peer closed before the first byte. */
    boolean readFully(MemorySegment buffer, long length) throws IOException {
        for (long done = 0; done < length; ) {
            long n = transfer(READ, "read", buffer.asSlice(done), length - done);
            if (n == 0) {
                if (done == 0) {
                    return false;
                }
                throw new IOException("read: the peer closed in the middle of a message (" + done + " of " + length + " bytes)");
            }
            done += n;
        }
        return true;
    }

    /** One read(2) or write(2): the byte count, 0 at end of stream. */
    private long transfer(MethodHandle call, String what, MemorySegment buffer, long length) throws IOException {
        long n;
        try {
            n = (long) call.invokeExact(state, fd, buffer, length);
        } catch (Throwable t) {
            throw new IOException(what + "() could not be called", t);
        }
        return check(what, n);
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable ignored) {
            // closing a descriptor of a finished measurement: nothing to recover
        }
        arena.close();
    }

    private void setInt(String what, int level, int option, int value) throws IOException {
        MemorySegment v = arena.allocateFrom(ValueLayout.JAVA_INT, value);
        check(what, call(SETSOCKOPT, level, option, v, (int) ValueLayout.JAVA_INT.byteSize()));
    }

    private MemorySegment sockaddr(InetSocketAddress address) {
        if (!(address.getAddress() instanceof Inet4Address v4)) {
            throw new IllegalArgumentException("`address` must be IPv4, not " + address);
        }
        MemorySegment sa = arena.allocate(SOCKADDR_IN);
        byte[] b = v4.getAddress();
        FAMILY.set(sa, 0L, (short) AF_INET);
        PORT.set(sa, 0L, (short) address.getPort());
        ADDR.set(sa, 0L, (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff));
        return sa;
    }

    /** Calls {@code handle(state, fd, args...)}; returns its int result. */
    private int call(MethodHandle handle, Object... args) throws IOException {
        Object[] all = new Object[args.length + 2];
        all[0] = state;
        all[1] = fd;
        System.arraycopy(args, 0, all, 2, args.length);
        try {
            return (int) handle.invokeWithArguments(all);
        } catch (Throwable t) {
            throw new IOException(handle + " could not be called", t);
        }
    }

    private long check(String what, long result) throws IOException {
        if (result < 0) {
            throw failure(what, (int) ERRNO_VALUE.get(state, 0L));
        }
        return result;
    }

    private int check(String what, int result) throws IOException {
        return (int) check(what, (long) result);
    }

    private static IOException failure(String what, int errno) {
        String name = switch (errno) {
            case 11 -> "EAGAIN (nothing within the receive timeout)";
            case 97 -> "EAFNOSUPPORT (no SMC in this kernel: modprobe smc)";
            case 98 -> "EADDRINUSE";
            case 101 -> "ENETUNREACH";
            case 104 -> "ECONNRESET";
            case 110 -> "ETIMEDOUT";
            case 111 -> "ECONNREFUSED";
            case 113 -> "EHOSTUNREACH";
            default -> "errno " + errno;
        };
        return new IOException(what + " failed: " + name + (name.startsWith("errno") ? "" : " (errno " + errno + ")"));
    }

    /** A downcall that records errno; its handle takes the call-state segment first. */
    private static MethodHandle downcall(String name, ValueLayout result, ValueLayout... args) {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().findOrThrow(name), FunctionDescriptor.of(result, args), ERRNO);
    }
}
