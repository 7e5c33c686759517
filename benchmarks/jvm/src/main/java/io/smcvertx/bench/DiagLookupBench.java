package io.smcvertx.bench;

import io.smcvertx.transport.diag.SmcDiag;
import io.smcvertx.transport.diag.SmcSocketInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of resolving connections' SMC info ({@link SmcDiag}) with {@code open} SMC
 * connections in the namespace. Needs kernel SMC: benchmarks/connection-setup/diag-lab.sh runs
 * it in the lab guest, where a C helper ({@code netbench hold}) keeps the connections open
 * against a C SMC echo server (system property {@code bench.echoPort}).
 * <ul>
 *   <li>{@code dump}: one smc_diag dump, the unit every lookup costs at worst;</li>
 *   <li>{@code lookupOne}: one lookup with no cache reuse (cache TTL zero): a dump per lookup;</li>
 *   <li>{@code lookupAllConcurrently}: a lookup for every open connection, issued at once, as an
 *       accept burst does; divide by {@code open} for the per-lookup cost. Batching answers them
 *       with one or two dumps, so the per-lookup cost must fall as {@code open} grows.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DiagLookupBench {

    @Param({"1", "100", "1000"})
    public int open;

    private Process holder;
    private SmcDiag diag;
    private long[] inodes;

    @Setup(Level.Trial)
    public void openConnections() throws Exception {
        String netbench = System.getProperty("bench.netbench");
        String port = System.getProperty("bench.echoPort");
        if (netbench == null || port == null) {
            throw new IllegalStateException("`bench.netbench` and `bench.echoPort` must be set (see diag-lab.sh)");
        }
        holder = new ProcessBuilder(netbench, "hold", "127.0.0.1", port, Integer.toString(open), "--smc")
                .redirectErrorStream(true).start();
        String ready = new String(holder.getInputStream().readNBytes(6));
        if (!ready.equals("READY ")) {
            throw new IllegalStateException("netbench hold did not start: " + ready);
        }
        inodes = socketInodes(holder.pid());
        if (inodes.length != open) {
            throw new IllegalStateException("expected " + open + " sockets in the holder, found " + inodes.length);
        }
        diag = SmcDiag.open(Duration.ZERO, SmcDiag.DEFAULT_TIMEOUT);
        Optional<SmcSocketInfo> first = diag.lookup(inodes[0]).toCompletableFuture().get();
        System.out.println("open=" + open + " first connection: " + first.map(i -> i.mode() + " " + i).orElse("not an SMC socket"));
    }

    private static long[] socketInodes(long pid) throws IOException {
        List<Long> found = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                String target = Files.readSymbolicLink(fd).toString();
                if (target.startsWith("socket:[")) {
                    found.add(Long.parseLong(target.substring(8, target.length() - 1)));
                }
            }
        }
        return found.stream().mapToLong(Long::longValue).toArray();
    }

    @TearDown(Level.Trial)
    public void close() {
        System.out.println("open=" + open + " dumps made by this reader: " + diag.dumpCount());
        diag.close();
        holder.destroy();
    }

    @Benchmark
    public List<SmcSocketInfo> dump() throws IOException {
        return diag.dump();
    }

    @Benchmark
    public Optional<SmcSocketInfo> lookupOne() throws Exception {
        return diag.lookup(inodes[0]).toCompletableFuture().get();
    }

    @Benchmark
    public int lookupAllConcurrently() throws Exception {
        CompletableFuture<?>[] all = new CompletableFuture<?>[inodes.length];
        for (int i = 0; i < inodes.length; i++) {
            all[i] = diag.lookup(inodes[i]).toCompletableFuture();
        }
        CompletableFuture.allOf(all).get();
        return all.length;
    }
}
