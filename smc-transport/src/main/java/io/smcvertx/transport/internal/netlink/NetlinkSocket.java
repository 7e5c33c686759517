package io.smcvertx.transport.internal.netlink;

import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.internal.ffm.Errno;
import io.smcvertx.transport.internal.ffm.LibC;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A netlink socket for request/response use. Every wait is bounded by the timeout and every
 * reply is matched to its request by sequence number, so a lost or stray message becomes an
 * error instead of a hung thread or a wrong answer. Not thread-safe: one request at a time.
 */
public final class NetlinkSocket implements AutoCloseable {

    public static final int NETLINK_SOCK_DIAG = 4;
    public static final int NETLINK_GENERIC = 16;
    /** Large enough for any single dump datagram (the kernel sizes them to the reader's buffer, max 32 KiB by default). */
    static final int RECV_BUFFER = 1 << 17;

    private static final AtomicInteger SEQ = new AtomicInteger((int) (System.nanoTime() & 0x3fffffff));

    private final int fd;
    private final int protocol;
    private final int timeoutMillis;
    private boolean closed;

    private NetlinkSocket(int fd, int protocol, int timeoutMillis) {
        this.fd = fd;
        this.protocol = protocol;
        this.timeoutMillis = timeoutMillis;
    }

    public static NetlinkSocket open(int protocol, Duration timeout) throws SmcNativeException {
        Objects.requireNonNull(timeout, "`timeout` must not be `null`");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("`timeout` must be greater than zero");
        }
        int fd = LibC.netlinkSocket("socket(AF_NETLINK, " + protocol + ")", protocol);
        return new NetlinkSocket(fd, protocol, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    public int protocol() {
        return protocol;
    }

    /**
     * Sends a request and collects the reply: for {@code NLM_F_DUMP}, every message up to
     * NLMSG_DONE; otherwise any data messages up to the acknowledgement (NLM_F_ACK is added).
     *
     * @param what     the request in the caller's words, used in errors
     * @param mapError turns a kernel errno (positive) plus extack into the exception to throw
     */
    public List<NlMsg> request(String what, int type, int flags, byte[] payload,
                               BiFunction<Integer, String, NetlinkException> mapError) throws SmcNativeException {
        boolean dump = (flags & NlMsg.NLM_F_DUMP) == NlMsg.NLM_F_DUMP;
        int f = NlMsg.NLM_F_REQUEST | flags | (dump ? 0 : NlMsg.NLM_F_ACK);
        int seq = SEQ.incrementAndGet();
        LibC.sendToKernel(what, fd, new NlMsg(type, f, seq, 0, payload).encode());
        ReplyCollector collector = new ReplyCollector(what, seq, dump, mapError);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!collector.complete()) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0 || !LibC.pollIn(what + " poll", fd, (int) Math.max(1, left))) {
                throw new NetlinkException(what, Errno.ETIMEDOUT, null,
                        "no reply from the kernel within " + timeoutMillis + " ms");
            }
            collector.accept(LibC.recvBytes(what + " recv", fd, RECV_BUFFER));
        }
        return collector.messages();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.closeQuietly(fd);
        }
    }

    /**
     * Folds received datagrams into one reply. Kept apart from the socket so tests can feed it
     * datagrams captured from a real kernel.
     */
    public static final class ReplyCollector {
        private final String what;
        private final int seq;
        private final boolean dump;
        private final BiFunction<Integer, String, NetlinkException> mapError;
        private final java.nio.ByteOrder order;
        private final List<NlMsg> messages = new ArrayList<>();
        private boolean complete;

        public ReplyCollector(String what, int seq, boolean dump, BiFunction<Integer, String, NetlinkException> mapError) {
            this(what, seq, dump, mapError, NlMsg.NATIVE);
        }

        /**
         * A collector for datagrams of a kernel whose byte order is {@code order} (tests feed it
         * replies captured on another architecture).
         */
        public ReplyCollector(String what, int seq, boolean dump, BiFunction<Integer, String, NetlinkException> mapError,
                              java.nio.ByteOrder order) {
            this.order = java.util.Objects.requireNonNull(order, "`order` must not be `null`");
            this.what = what;
            this.seq = seq;
            this.dump = dump;
            this.mapError = mapError;
        }

        public boolean complete() {
            return complete;
        }

        public List<NlMsg> messages() {
            return List.copyOf(messages);
        }

        /** Consumes one datagram; throws the mapped error if the kernel refused the request. */
        public void accept(byte[] datagram) throws NetlinkException {
            for (NlMsg m : NlMsg.decodeAll(datagram, order)) {
                if (complete) {
                    break;
                }
                if (m.seq() != seq) {
                    continue; // a late reply to an earlier, timed-out request: not ours
                }
                switch (m.type()) {
                    case NlMsg.NLMSG_NOOP -> { }
                    case NlMsg.NLMSG_OVERRUN -> throw new NetlinkException(what, Errno.ENOBUFS, null,
                            "the kernel's reply overran the socket buffer");
                    case NlMsg.NLMSG_ERROR, NlMsg.NLMSG_DONE -> {
                        NlMsg.Status st = NlMsg.Status.of(m);
                        if (st.error() < 0) {
                            throw mapError.apply(-st.error(), st.extackMessage());
                        }
                        complete = m.type() == NlMsg.NLMSG_DONE || !dump;
                    }
                    default -> messages.add(m);
                }
            }
        }
    }
}
