package io.smcvertx.transport.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.smcvertx.transport.SmcNativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;

/**
 * The libc surface of the project (but for the hot-path calls of a kernel splice, in
 * {@link SpliceCalls}), one downcall handle per function, each capturing {@code errno} right
 * after the call (anything the JVM does in between could overwrite it).
 *
 * <p>Wrappers return the call's non-negative result or throw {@link SmcNativeException} naming
 * the call. The {@code what} argument lets a caller say which call this was in its own terms
 * ({@code socket(AF_SMC)} rather than {@code socket}). Memory passed in is the caller's; no
 * wrapper keeps a reference after it returns.
 */
public final class LibC {

    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int AF_SMC = 43;

    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int O_CLOEXEC = 0x80000;

    /** {@code protocol} values of {@code socket(AF_SMC, ...)}. */
    public static final int SMCPROTO_SMC = 0;
    public static final int SMCPROTO_SMC6 = 1;
    /** {@code protocol} of {@code socket(AF_INET[6], SOCK_STREAM, IPPROTO_SMC)}, Linux 6.11+. */
    public static final int IPPROTO_SMC = 256;

    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_ERROR = 4;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVTIMEO = 20;
    /** The protocol a socket was created with: 256 for IPPROTO_SMC, 0/1 for AF_SMC sockets. */
    public static final int SO_PROTOCOL = 38;
    /** The address family a socket was created with: 43 for AF_SMC (unlike getsockname). */
    public static final int SO_DOMAIN = 39;
    public static final int SOL_TCP = 6;
    public static final int TCP_NODELAY = 1;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPV6_V6ONLY = 26;
    public static final int SOL_SMC = 286;
    public static final int SMC_LIMIT_HS = 1;

    public static final short POLLIN = 0x1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** glibc x86_64/s390x {@code struct stat}: 144 bytes, {@code st_ino} at offset 8. */
    private static final long STAT_SIZE = 144;
    private static final long STAT_INO_OFFSET = 8;

    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = handle("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CONNECT = handle("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ACCEPT4 = handle("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = handle("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = handle("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETSOCKNAME = handle("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle DUP3 = handle("dup3", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle FSTAT = handle("fstat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SENDTO = handle("sendto", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECV = handle("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle READ = handle("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = handle("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle POLL = handle("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETEUID = LINKER.downcallHandle(
            LIBC.find("geteuid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));

    private LibC() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
    }

    private static MemorySegment captureState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static int checked(String what, int rc, MemorySegment state) throws SmcNativeException {
        if (rc < 0) {
            throw Errno.exception(what, errno(state));
        }
        return rc;
    }

    private static long checked(String what, long rc, MemorySegment state) throws SmcNativeException {
        if (rc < 0) {
            throw Errno.exception(what, errno(state));
        }
        return rc;
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("downcall failed", t);
    }

    public static int socket(String what, int domain, int type, int protocol) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureState(arena);
            return checked(what, (int) SOCKET.invokeExact(st, domain, type, protocol), st);
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static void close(int fd) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureState(arena);
            checked("close", (int) CLOSE.invokeExact(st, fd), st);
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Closes and ignores failure: for cleanup paths where a first error is already on its way. */
    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                close(fd);
            } catch (SmcNativeException ignored) {
                // the descriptor is gone either way (Linux releases it even when close fails)
            }
        }
    }

    public static void bind(String what, int fd, MemorySegment addr) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureState(arena);
            checked(what, (int) BIND.invokeExact(st, fd, addr, (int) addr.byteSize()), st);
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static void listen(int fd, int backlog) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureState(arena);
            checked("listen", (int) LISTEN.invokeExact(st, fd, backlog), st);
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Returns 0 when connected, or throws; {@code EINPROGRESS} on a non-blocking socket is thrown too. */
    public static void connect(String what, int fd, MemorySegment addr) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureState(arena);
            checked(what, (int) CONNECT.invokeExact(st, fd, addr, (int) addr.byteSize()), st);
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Accepts without reporting the peer address. */
    public static int accept4(int fd, int flags) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureState(arena);
            return checked("accept4", (int) ACCEPT4.invokeExact(st, fd, MemorySegment.NULL, MemorySegment.NULL, flags), st);
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static void setsockopt(String what, int fd, int level, int name, MemorySegment value) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureState(arena);
            checked(what, (int) SETSOCKOPT.invokeExact(st, fd, level, name, value, (int) value.byteSize()), st);
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static void setsockoptInt(String what, int fd, int level, int name, int value) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            setsockopt(what, fd, level, name, arena.allocateFrom(JAVA_INT, value));
        }
    }

    /** Reads into {@code value}; returns the length the kernel wrote. */
    public static int getsockopt(String what, int fd, int level, int name, MemorySegment value) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureState(arena);
            MemorySegment len = arena.allocateFrom(JAVA_INT, (int) value.byteSize());
            checked(what, (int) GETSOCKOPT.invokeExact(st, fd, level, name, value, len), st);
            return len.get(JAVA_INT, 0);
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int getsockoptInt(String what, int fd, int level, int name) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            getsockopt(what, fd, level, name, value);
            return value.get(JAVA_INT, 0);
        }
    }

    /** Fills {@code addr} (e.g. 128 bytes of sockaddr_storage); returns the address length. */
    public static int getsockname(int fd, MemorySegment addr) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureState(arena);
            MemorySegment len = arena.allocateFrom(JAVA_INT, (int) addr.byteSize());
            checked("getsockname", (int) GETSOCKNAME.invokeExact(st, fd, addr, len), st);
            return len.get(JAVA_INT, 0);
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The address family of a socket ({@code sa_family} of its local address). */
    /**
     * Whether {@code fd} is an SMC socket: {@code AF_SMC} ({@code SO_DOMAIN}) or
     * {@code IPPROTO_SMC} ({@code SO_PROTOCOL}). Not {@link #socketFamily}: an AF_SMC socket's
     * {@code getsockname} answers for its inner TCP socket, with {@code AF_INET}.
     */
    public static boolean isSmcSocket(int fd) throws SmcNativeException {
        return getsockoptInt("getsockopt(SO_DOMAIN)", fd, SOL_SOCKET, SO_DOMAIN) == AF_SMC
                || getsockoptInt("getsockopt(SO_PROTOCOL)", fd, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_SMC;
    }

    /** The family {@code getsockname} gives (for an AF_SMC socket, its inner TCP socket's). */
    public static int socketFamily(int fd) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = arena.allocate(128);
            getsockname(fd, addr);
            return Short.toUnsignedInt(addr.get(JAVA_SHORT, 0));
        }
    }

    public static int dup3(int oldFd, int newFd, int flags) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureState(arena);
            return checked("dup3", (int) DUP3.invokeExact(st, oldFd, newFd, flags), st);
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The inode number of an open descriptor: how smc_diag names a socket. */
    public static long inode(int fd) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureState(arena);
            MemorySegment stat = arena.allocate(STAT_SIZE, 8);
            checked("fstat", (int) FSTAT.invokeExact(st, fd, stat), st);
            return stat.get(JAVA_LONG, STAT_INO_OFFSET);
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code sendto} with a destination (netlink wants the kernel's sockaddr_nl). */
    public static long sendto(String what, int fd, MemorySegment buf, int flags, MemorySegment dest) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureState(arena);
            int destLen = dest.equals(MemorySegment.NULL) ? 0 : (int) dest.byteSize();
            return checked(what, (long) SENDTO.invokeExact(st, fd, buf, buf.byteSize(), flags, dest, destLen), st);
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long recv(String what, int fd, MemorySegment buf, int flags) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureState(arena);
            return checked(what, (long) RECV.invokeExact(st, fd, buf, buf.byteSize(), flags), st);
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long read(String what, int fd, MemorySegment buf) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureState(arena);
            return checked(what, (long) READ.invokeExact(st, fd, buf, buf.byteSize()), st);
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long write(String what, int fd, MemorySegment buf) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureState(arena);
            return checked(what, (long) WRITE.invokeExact(st, fd, buf, buf.byteSize()), st);
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * Waits until {@code fd} is readable. Returns false on timeout. Used to bound every netlink
     * wait: a reply that never comes must become an error, not a hung thread.
     */
    public static boolean pollIn(String what, int fd, int timeoutMillis) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureState(arena);
            MemorySegment pfd = arena.allocate(8, 4); // struct pollfd { int fd; short events; short revents; }
            pfd.set(JAVA_INT, 0, fd);
            pfd.set(JAVA_SHORT, 4, POLLIN);
            int n = checked(what, (int) POLL.invokeExact(st, pfd, 1L, timeoutMillis), st);
            return n > 0;
        } catch (SmcNativeException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Effective user id: root-only commands can explain themselves before the kernel says EPERM. */
    public static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---------------------------------------------------------------- byte-array helpers
    // Code outside this package may not touch java.lang.foreign: netlink, smc_diag and the CLI
    // go through these, which copy between Java arrays and native memory.

    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_EXT_ACK = 11;
    public static final int NETLINK_GET_STRICT_CHK = 12;
    /** recv flag: return the real datagram length even when it did not fit. */
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;

    /**
     * Opens a netlink socket of {@code protocol}, bound to a kernel-chosen port id, with
     * extended acknowledgements on so the kernel explains its refusals. Returns the descriptor.
     *
     * <pre>
     * struct sockaddr_nl (12 bytes)
     * 0        2        4                 8                 12
     * +--------+--------+-----------------+-----------------+
     * | family | pad    | pid (u32)       | groups (u32)    |
     * +--------+--------+-----------------+-----------------+
     * </pre>
     */
    public static int netlinkSocket(String what, int protocol) throws SmcNativeException {
        int fd = socket(what, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        try (Arena arena = Arena.ofConfined()) {
            bind(what + " bind", fd, sockaddrNl(arena));
            try {
                setsockoptInt(what + " NETLINK_EXT_ACK", fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
            } catch (SmcNativeException oldKernel) {
                // kernels before 4.12 have no extended ack: errors still come, only without text
            }
            return fd;
        } catch (SmcNativeException | RuntimeException e) {
            closeQuietly(fd);
            throw e;
        }
    }

    private static MemorySegment sockaddrNl(Arena arena) {
        MemorySegment sa = arena.allocate(12, 4);
        sa.set(JAVA_SHORT, 0, (short) AF_NETLINK);
        return sa; // pid 0 = the kernel (as destination) or "assign one" (as bind address)
    }

    /** Sends one netlink datagram to the kernel. */
    public static void sendToKernel(String what, int fd, byte[] datagram) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(datagram.length, 8);
            MemorySegment.copy(datagram, 0, buf, JAVA_BYTE, 0, datagram.length);
            long n = sendto(what, fd, buf, 0, sockaddrNl(arena));
            if (n != datagram.length) {
                throw Errno.exception(what + " (short send " + n + "/" + datagram.length + ")", Errno.EMSGSIZE);
            }
        }
    }

    /**
     * Receives one datagram of at most {@code max} bytes. A longer one is reported with
     * {@code EMSGSIZE} rather than silently cut (netlink would drop the rest of it).
     */
    public static byte[] recvBytes(String what, int fd, int max) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(max, 8);
            long n = recv(what, fd, buf, MSG_TRUNC);
            if (n > max) {
                throw Errno.exception(what + " (datagram of " + n + " bytes > buffer " + max + ")", Errno.EMSGSIZE);
            }
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        }
    }

    /**
     * Builds a {@code sockaddr_in} (16 bytes) or {@code sockaddr_in6} (28 bytes) for
     * {@code address}; AF_SMC sockets take the same layouts.
     */
    private static MemorySegment sockaddrInet(Arena arena, InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        MemorySegment sa = arena.allocate(ip.length == 4 ? 16 : 28, 4);
        sa.set(JAVA_SHORT, 0, (short) (ip.length == 4 ? AF_INET : AF_INET6));
        sa.set(JAVA_BYTE, 2, (byte) (address.getPort() >>> 8));
        sa.set(JAVA_BYTE, 3, (byte) address.getPort());
        MemorySegment.copy(ip, 0, sa, JAVA_BYTE, ip.length == 4 ? 4 : 8, ip.length);
        return sa;
    }

    /** {@code bind} to an IPv4/IPv6 socket address (port 0 lets the kernel pick). */
    public static void bindInet(String what, int fd, InetSocketAddress address) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            bind(what, fd, sockaddrInet(arena, address));
        }
    }

    /** Blocking {@code connect} to an IPv4/IPv6 socket address. */
    public static void connectInet(String what, int fd, InetSocketAddress address) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            connect(what, fd, sockaddrInet(arena, address));
        }
    }

    /** The local port of a bound IPv4/IPv6/AF_SMC socket. */
    public static int localPort(int fd) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = arena.allocate(128, 8);
            getsockname(fd, addr);
            return ((addr.get(JAVA_BYTE, 2) & 0xff) << 8)
                    | (addr.get(JAVA_BYTE, 3) & 0xff);
        }
    }

    /** Writes all of {@code data} to a blocking descriptor. */
    public static void writeFully(String what, int fd, byte[] data) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, data.length), 8);
            MemorySegment.copy(data, 0, buf, JAVA_BYTE, 0, data.length);
            long off = 0;
            while (off < data.length) {
                off += write(what, fd, buf.asSlice(off, data.length - off));
            }
        }
    }

    /** Reads up to {@code max} bytes from a blocking descriptor; an empty array means end of stream. */
    public static byte[] readBytes(String what, int fd, int max) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(max, 8);
            long n = read(what, fd, buf);
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        }
    }

    public static final int SO_SNDTIMEO = 21;

    /** Sets SO_RCVTIMEO/SO_SNDTIMEO ({@code struct timeval}); a blocking connect honours SO_SNDTIMEO. */
    public static void setTimeoutOption(String what, int fd, int name, long millis) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment tv = arena.allocate(16, 8);
            tv.set(JAVA_LONG, 0, millis / 1000);
            tv.set(JAVA_LONG, 8, (millis % 1000) * 1000);
            setsockopt(what, fd, SOL_SOCKET, name, tv);
        }
    }
}
