package io.smcvertx.netty.splice;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.internal.ffm.Errno;
import io.smcvertx.transport.internal.ffm.LibC;
import io.smcvertx.transport.internal.ffm.SpliceCalls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Moves the bytes between two connected sockets in the kernel, both ways, with {@code splice(2)}
 * through a pipe per direction, as HAProxy does with its splice options: the bytes never enter
 * the JVM. Into an SMC socket the kernel copies once (into its send buffer); out of one the bytes
 * are read into native memory and written from there ({@link #smc} says why not spliced).
 *
 * <p>The two channels must be native epoll socket channels (an AF_SMC socket under
 * {@code SmcNetty}'s epoll channels is one) of one epoll event loop, and deregistered from it
 * ({@link Channel#deregister()}), so that Netty no longer reads them: this class registers their
 * descriptors on the same loop itself (level-triggered), and everything runs there. Netty's own
 * {@code spliceTo} is not used: it wants both channels level-triggered from their creation, and
 * at the peer's end it can stop reading with bytes still unread in the socket.
 *
 * <p>A direction ends when its source ends and every byte was written: the destination's sending
 * side is then shut down (half-close, as the peer did). When both have ended, or on the first
 * failure (a reset, a write after the peer left, either channel closed), both channels are
 * closed through Netty, which tells their pipelines as usual, and {@link #done()} completes.
 */
public final class ChannelSplice {

    /** Read-and-write rounds per readiness event before the event loop gets the thread back. */
    private static final int ROUNDS = 16;
    private static final int EPOLLERR = 0x08;
    private static final int EPOLLHUP = 0x10;

    private final Channel a;
    private final Channel b;
    private final Direction aToB;
    private final Direction bToA;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState;
    private final int[] pipes;
    private final Endpoint endA;
    private final Endpoint endB;
    private final Promise<Void> done;
    private boolean finishing;
    private boolean continuing;

    private ChannelSplice(Channel a, Channel b, List<ByteBuf> owedToB, List<ByteBuf> owedToA, IntPredicate copyFrom,
            PipeMaker pipeMaker) throws SmcNativeException {
        this.a = a;
        this.b = b;
        this.done = a.eventLoop().newPromise();
        this.callState = SpliceCalls.newCallState(arena);
        int fdA = ((EpollSocketChannel) a).fd().intValue();
        int fdB = ((EpollSocketChannel) b).fd().intValue();
        int[] p1 = null;
        int[] p2;
        try {
            p1 = pipeMaker.pipe(arena);
            p2 = pipeMaker.pipe(arena);
        } catch (SmcNativeException e) {
            if (p1 != null) {
                LibC.closeQuietly(p1[0]);
                LibC.closeQuietly(p1[1]);
            }
            arena.close();
            throw e;
        }
        this.pipes = new int[] {p1[0], p1[1], p2[0], p2[1]};
        this.aToB = new Direction(fdA, fdB, p1, copyOut(owedToB), copyFrom.test(fdA) ? arena.allocate(Direction.CHUNK) : null);
        this.bToA = new Direction(fdB, fdA, p2, copyOut(owedToA), copyFrom.test(fdB) ? arena.allocate(Direction.CHUNK) : null);
        this.endA = new Endpoint(((EpollSocketChannel) a).fd(), aToB, bToA);
        this.endB = new Endpoint(((EpollSocketChannel) b).fd(), bToA, aToB);
    }

    /**
     * Whether {@code fd} is an SMC socket (AF_SMC, or IPPROTO_SMC). Bytes out of one are not
     * spliced: SMC's {@code splice_read} puts pages of its receive buffer in the pipe and advances
     * its consumer cursor (so the sender may reuse them) when the pipe lets go of them, while a
     * TCP destination keeps references to those pages (zero-copy, {@code MSG_SPLICE_PAGES}) until
     * they are read, and the sender overwrites them: the lab showed a relayed 1 MiB come back
     * whole in length and wrong in content (benchmarks/results/relay-kernel-splice-cause/). They are read into
     * native memory and written from there instead: still never through the JVM's heap. Splicing
     * into an SMC socket copies (into its send buffer).
     */
    private static boolean smc(int fd) {
        try {
            // SO_DOMAIN, not getsockname: that answers for an AF_SMC socket's inner TCP socket
            // (AF_INET), which is how the first version of this check let SMC-D sockets be spliced
            return LibC.isSmcSocket(fd);
        } catch (SmcNativeException e) {
            return true; // cannot tell: copying is always correct
        }
    }

    /**
     * Whether {@link #start} can take these two channels: native epoll socket channels, open, on
     * the same epoll event loop.
     */
    public static boolean canSplice(Channel a, Channel b) {
        return a instanceof EpollSocketChannel && b instanceof EpollSocketChannel && a.isOpen() && b.isOpen()
                && a.eventLoop() == b.eventLoop() && a.eventLoop() instanceof IoEventLoop loop
                && loop.isCompatible(Endpoint.class);
    }

    /**
     * Starts splicing {@code a} and {@code b}, both deregistered ({@link #canSplice} held before
     * they were). {@code owedToB} and {@code owedToA} are bytes already read from one side and
     * not yet written to the other; they are written first, and released here. Call on the
     * channels' event loop. If the pipes cannot be made (out of descriptors: a splice needs four
     * more), this throws {@link SplicePipesException} and leaves everything as it was: both
     * channels open and deregistered, the owed buffers the caller's, so that it can register the
     * channels again and carry on without a splice. If the registration fails, both channels are
     * closed and {@link #done()} fails.
     */
    public static ChannelSplice start(Channel a, Channel b, List<ByteBuf> owedToB, List<ByteBuf> owedToA) {
        return start(a, b, owedToB, owedToA, ChannelSplice::smc, SpliceCalls::pipe);
    }

    /** {@link #start}, reading (not splicing) out of the sockets {@code copyFrom} names: tests take that path on TCP. */
    static ChannelSplice start(Channel a, Channel b, List<ByteBuf> owedToB, List<ByteBuf> owedToA, IntPredicate copyFrom) {
        return start(a, b, owedToB, owedToA, copyFrom, SpliceCalls::pipe);
    }

    /** Where a splice's pipes come from: {@code pipe2}, or, in tests, a failure. */
    interface PipeMaker {
        int[] pipe(Arena arena) throws SmcNativeException;
    }

    static ChannelSplice start(Channel a, Channel b, List<ByteBuf> owedToB, List<ByteBuf> owedToA, IntPredicate copyFrom,
            PipeMaker pipeMaker) {
        if (!a.eventLoop().inEventLoop()) {
            throw new IllegalStateException("ChannelSplice.start must run on the channels' event loop");
        }
        if (a.isRegistered() || b.isRegistered()) {
            throw new IllegalStateException("deregister both channels before splicing them");
        }
        ChannelSplice s;
        try {
            s = new ChannelSplice(a, b, owedToB, owedToA, copyFrom, pipeMaker);
        } catch (SmcNativeException e) {
            throw new SplicePipesException(e);
        }
        s.register();
        return s;
    }

    private MemorySegment copyOut(List<ByteBuf> bufs) {
        long n = 0;
        for (ByteBuf buf : bufs) {
            n += buf.readableBytes();
        }
        MemorySegment seg = n == 0 ? MemorySegment.NULL : arena.allocate(n);
        long at = 0;
        for (ByteBuf buf : bufs) {
            int len = buf.readableBytes();
            if (len > 0) {
                MemorySegment.copy(MemorySegment.ofBuffer(buf.nioBuffer()), 0, seg, at, len);
                at += len;
            }
            buf.release();
        }
        return seg;
    }

    private void register() {
        // a channel closed by someone else (its descriptor is gone): stop, and close the other
        a.closeFuture().addListener(f -> fail(new ClosedChannelException()));
        b.closeFuture().addListener(f -> fail(new ClosedChannelException()));
        IoEventLoop loop = (IoEventLoop) a.eventLoop();
        loop.register(endA).addListener(fa -> {
            if (!fa.isSuccess()) {
                fail((Throwable) fa.cause());
                return;
            }
            endA.registration = (IoRegistration) fa.getNow();
            loop.register(endB).addListener(fb -> {
                if (!fb.isSuccess()) {
                    fail((Throwable) fb.cause());
                    return;
                }
                endB.registration = (IoRegistration) fb.getNow();
                step();
            });
        });
    }

    /**
     * Stops splicing and closes both channels (through their pipelines); {@link #done()} then
     * fails with {@link ClosedChannelException}. Any thread.
     */
    public void close() {
        a.eventLoop().execute(() -> fail(new ClosedChannelException()));
    }

    /** Completes once both channels are closed: with success when both directions ended cleanly. */
    public Future<Void> done() {
        return done;
    }

    /** Bytes read from {@code a} (including those owed to {@code b} at the start). */
    public long bytesAToB() {
        return aToB.bytesRead();
    }

    /** Bytes read from {@code b} (including those owed to {@code a} at the start). */
    public long bytesBToA() {
        return bToA.bytesRead();
    }

    /** Bytes written to {@code b}. */
    public long bytesWrittenToB() {
        return aToB.bytesWritten();
    }

    /** Bytes written to {@code a}. */
    public long bytesWrittenToA() {
        return bToA.bytesWritten();
    }

    private long progress() {
        return aToB.progress() + bToA.progress();
    }

    private void step() {
        if (finishing) {
            return;
        }
        int moved = 1;
        for (int round = 0; round < ROUNDS && moved > 0; round++) {
            moved = aToB.fill(callState) + aToB.drain(callState);
            moved += bToA.fill(callState) + bToA.drain(callState);
        }
        if (moved > 0 && !continuing) {
            // the round limit, not the sockets, stopped us: go on after the loop's other work,
            // never waiting for a readiness report that an edge-triggered socket would not repeat
            continuing = true;
            a.eventLoop().execute(() -> {
                continuing = false;
                step();
            });
        }
        if (aToB.finished() && bToA.finished()) {
            int error = aToB.error() != 0 ? aToB.error() : bToA.error();
            finish(error == 0 ? null : Errno.exception("splice", -error));
            return;
        }
        endA.want(aToB.wantsInput(), bToA.wantsOutput());
        endB.want(bToA.wantsInput(), aToB.wantsOutput());
    }

    private void fail(Throwable cause) {
        finish(cause == null ? new ClosedChannelException() : cause);
    }

    private void finish(Throwable cause) {
        if (finishing) {
            return;
        }
        finishing = true;
        endA.cancel();
        endB.cancel();
        for (int fd : pipes) {
            LibC.closeQuietly(fd);
        }
        // the channels own the sockets. Netty tells a pipeline of a close only on a registered
        // channel, so each goes back to the loop first, and is closed there
        Future<Void> ca = closeRegistered(a);
        Future<Void> cb = closeRegistered(b);
        ca.addListener(x -> cb.addListener(y -> {
            arena.close();
            if (cause == null) {
                done.trySuccess(null);
            } else {
                done.tryFailure(cause);
            }
        }));
    }

    private static Future<Void> closeRegistered(Channel ch) {
        if (!ch.isOpen()) {
            if (!ch.isRegistered()) {
                // closed behind our back while off the loop: Netty told its pipeline nothing
                ch.pipeline().fireChannelInactive();
            }
            return ch.closeFuture();
        }
        if (ch.isRegistered()) {
            return ch.close();
        }
        Promise<Void> closed = ch.eventLoop().newPromise();
        ch.eventLoop().register(ch).addListener(r -> ch.close().addListener(c -> closed.trySuccess(null)));
        return closed;
    }

    /** {@code a -> b} and {@code b -> a} as far as they got, for a log line. */
    @Override
    public String toString() {
        return "ChannelSplice[" + aToB.state() + " | " + bToA.state() + "]";
    }

    /** One socket's registration on the event loop: its readiness drives both directions. */
    private final class Endpoint implements EpollIoHandle {

        private final FileDescriptor fd;
        private final Direction from;
        private final Direction to;
        IoRegistration registration;
        private int ops = -1;
        private boolean edge;

        /** {@code from}: the direction that reads this socket; {@code to}: the one that writes it. */
        Endpoint(FileDescriptor fd, Direction from, Direction to) {
            this.fd = fd;
            this.from = from;
            this.to = to;
        }

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            int ready = ((EpollIoEvent) event).ops().value();
            if ((ready & (EpollIoOps.EPOLLIN.value() | EPOLLERR | EPOLLHUP)) != 0) {
                from.readable(); // an error or a hang-up is read through too: bytes sent before it come first
            }
            if ((ready & (EPOLLERR | EPOLLHUP)) == 0) {
                step();
                return;
            }
            // an error (a reset) or a hang-up is reported whatever we ask for. The socket may still
            // hold bytes its peer sent before the reset (a reset does not discard the receive
            // queue): the reads take them, then meet the error
            long before = progress();
            step();
            if (finishing || progress() != before) {
                return;
            }
            if ((ready & EPOLLERR) == 0 && from.sourceEnded() && to.finished()) {
                cancel(); // hung up with nothing left to do here; the other socket may still have bytes to take
            } else if ((ready & EPOLLERR) == 0) {
                // hung up with bytes still to read, once the other socket takes what waits for it:
                // a level-triggered hang-up would be reported at every turn of the loop until then,
                // so this socket goes edge-triggered (a change of interest re-arms it: want())
                edge = true;
                want(from.wantsInput(), to.wantsOutput());
            } else {
                fail(new IOException((ready & EPOLLERR) != 0 ? "socket error on descriptor " + fd.intValue()
                        : "descriptor " + fd.intValue() + " hung up"));
            }
        }

        void want(boolean input, boolean output) {
            // never an empty set: Netty 4.2.16 takes EpollIoOps.NONE as "remove the descriptor from
            // epoll" without noting it, and its next change of interest then fails (ENOENT).
            // Errors and hang-ups are reported whatever is asked, so EPOLLERR alone asks for nothing
            int next = EpollIoOps.EPOLLERR.value() | (edge ? EpollIoOps.EPOLLET.value() : 0)
                    | (input ? EpollIoOps.EPOLLIN.value() : 0) | (output ? EpollIoOps.EPOLLOUT.value() : 0);
            IoRegistration r = registration;
            if (next != ops && r != null && r.isValid()) {
                ops = next;
                try {
                    r.submit(EpollIoOps.valueOf(next));
                } catch (RuntimeException e) {
                    fail(e);
                }
            }
        }

        void cancel() {
            IoRegistration r = registration;
            if (r != null) {
                r.cancel();
            }
        }

        @Override
        public void close() {
            fail(new ClosedChannelException()); // the event loop is shutting down
        }
    }
}
