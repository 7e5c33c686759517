package io.smcvertx.transport.diag;

import io.smcvertx.transport.internal.ffm.Errno;
import io.smcvertx.transport.internal.netlink.NetlinkException;
import io.smcvertx.transport.internal.netlink.NetlinkSocket;
import io.smcvertx.transport.internal.netlink.NlMsg;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * Reads the kernel's view of SMC sockets through {@code smc_diag} (NETLINK_SOCK_DIAG, family
 * AF_SMC). The kernel offers only a dump of every SMC socket in the namespace, so lookups are
 * batched: all lookups waiting when a dump starts are answered by it, and a dump is reused
 * for {@code cacheTtl}. A thousand concurrent lookups cost one or two dumps.
 *
 * <p>Dumps for {@link #lookup} run on this reader's own thread, never on the caller's (so an
 * event loop may call {@code lookup}); {@link #dump()} blocks its caller. A lookup is answered
 * only by a dump that started after the lookup was made, or by a cached dump in which the
 * socket was present, so a socket created a moment ago is not reported missing from an old dump.
 *
 * <pre>{@code
 * try (SmcDiag diag = SmcDiag.open()) {
 *     diag.lookup(inode).thenAccept(info -> info.ifPresent(i ->
 *             System.out.println(i.mode() + " " + i.fallbackReason())));
 * }
 * }</pre>
 */
public final class SmcDiag implements AutoCloseable {

    /** How long a dump answers lookups of sockets it contains. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMillis(100);
    /** How long one dump may take before it fails. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Duration timeout;
    private final long cacheTtlNanos;
    private final LongSupplier clock;
    private final ExecutorService executor;
    private final Dumper dumper;

    private final Object lock = new Object();
    private List<Waiter> waiting = new ArrayList<>();
    private boolean dumpScheduled;
    private Map<Long, SmcSocketInfo> cached = Map.of();
    private long cachedAtNanos;
    private boolean hasCache;
    private boolean closed;
    private long dumpCount;

    /** Performs one dump; swapped in tests to count dumps without a kernel. */
    interface Dumper {
        List<SmcSocketInfo> dump(Duration timeout) throws IOException;
    }

    private record Waiter(long inode, long askedAtNanos, CompletableFuture<Optional<SmcSocketInfo>> future) {
    }

    SmcDiag(Duration cacheTtl, Duration timeout, Dumper dumper, LongSupplier clock) {
        Objects.requireNonNull(cacheTtl, "`cacheTtl` must not be `null`");
        Objects.requireNonNull(timeout, "`timeout` must not be `null`");
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("`cacheTtl` must not be negative");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("`timeout` must be greater than zero");
        }
        this.timeout = timeout;
        this.cacheTtlNanos = cacheTtl.toNanos();
        this.dumper = dumper;
        this.clock = clock;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "smc-diag");
            t.setDaemon(true);
            return t;
        });
    }

    /** A reader with the default cache lifetime (100 ms) and timeout (10 s). */
    public static SmcDiag open() {
        return open(DEFAULT_CACHE_TTL, DEFAULT_TIMEOUT);
    }

    /**
     * A reader. Opening does not touch the kernel; the first dump does.
     *
     * @param cacheTtl how long a dump answers lookups ({@code Duration.ZERO}: never reused)
     * @param timeout  bound on one dump
     */
    public static SmcDiag open(Duration cacheTtl, Duration timeout) {
        return new SmcDiag(cacheTtl, timeout, SmcDiag::kernelDump, System::nanoTime);
    }

    /**
     * Every SMC socket of this network namespace, read now on the calling thread.
     *
     * @throws IOException e.g. when the kernel has no smc_diag ("is the smc_diag module loaded?")
     */
    public List<SmcSocketInfo> dump() throws IOException {
        List<SmcSocketInfo> all = dumper.dump(timeout);
        synchronized (lock) {
            dumpCount++;
        }
        return all;
    }

    /** How many dumps this reader has made: lets callers see batching work. */
    public long dumpCount() {
        synchronized (lock) {
            return dumpCount;
        }
    }

    /**
     * The socket with this inode ({@code fstat} of its descriptor), or empty when the kernel
     * lists no SMC socket with it (closed, or not an SMC socket). Never blocks the caller.
     */
    public CompletionStage<Optional<SmcSocketInfo>> lookup(long inode) {
        long now = clock.getAsLong();
        CompletableFuture<Optional<SmcSocketInfo>> f = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("SmcDiag is closed"));
            }
            if (hasCache && now - cachedAtNanos <= cacheTtlNanos) {
                SmcSocketInfo hit = cached.get(inode);
                if (hit != null) {
                    return CompletableFuture.completedFuture(Optional.of(hit));
                }
            }
            waiting.add(new Waiter(inode, now, f));
            if (!dumpScheduled) {
                dumpScheduled = true;
                try {
                    executor.execute(this::runDumps);
                } catch (RejectedExecutionException e) {
                    dumpScheduled = false;
                    waiting.remove(waiting.size() - 1);
                    return CompletableFuture.failedFuture(new IllegalStateException("SmcDiag is closed", e));
                }
            }
        }
        return f;
    }

    /** Serves waiters until none is left: each round takes everyone waiting when it starts. */
    private void runDumps() {
        while (true) {
            List<Waiter> batch;
            long startedAt;
            synchronized (lock) {
                if (waiting.isEmpty() || closed) {
                    dumpScheduled = false;
                    return;
                }
                batch = waiting;
                waiting = new ArrayList<>();
                startedAt = clock.getAsLong();
            }
            List<SmcSocketInfo> all;
            try {
                all = dumper.dump(timeout);
            } catch (IOException | RuntimeException e) {
                batch.forEach(w -> w.future().completeExceptionally(e));
                continue;
            }
            Map<Long, SmcSocketInfo> byInode = new HashMap<>(all.size() * 2);
            for (SmcSocketInfo s : all) {
                byInode.put(s.inode(), s);
            }
            synchronized (lock) {
                dumpCount++;
                cached = byInode;
                cachedAtNanos = startedAt;
                hasCache = true;
            }
            for (Waiter w : batch) {
                w.future().complete(Optional.ofNullable(byInode.get(w.inode())));
            }
        }
    }

    /** Stops the reader thread; waiting lookups fail. */
    @Override
    public void close() {
        List<Waiter> left;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            left = waiting;
            waiting = new ArrayList<>();
        }
        executor.shutdown();
        IllegalStateException e = new IllegalStateException("SmcDiag closed before the lookup was answered");
        left.forEach(w -> w.future().completeExceptionally(e));
    }

    static List<SmcSocketInfo> kernelDump(Duration timeout) throws IOException {
        try (NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_SOCK_DIAG, timeout)) {
            List<NlMsg> reply = s.request("smc_diag dump", SmcDiagCodec.SOCK_DIAG_BY_FAMILY, NlMsg.NLM_F_DUMP,
                    SmcDiagCodec.request(), SmcDiag::mapError);
            try {
                return SmcDiagCodec.decodeAll(reply);
            } catch (IllegalArgumentException malformed) {
                throw new IOException("smc_diag reply could not be decoded: " + malformed.getMessage(), malformed);
            }
        }
    }

    static NetlinkException mapError(int errno, String extack) {
        String hint = switch (errno) {
            case Errno.ENOENT, Errno.EOPNOTSUPP ->
                    "the kernel has no SMC socket diagnostics (is the smc_diag module loaded?)";
            default -> null;
        };
        return new NetlinkException("smc_diag dump", errno, extack, hint);
    }
}
