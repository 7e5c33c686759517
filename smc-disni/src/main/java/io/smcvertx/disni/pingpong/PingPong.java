package io.smcvertx.disni.pingpong;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A ping-pong between two hosts over TCP, SMC (checked to be SMC-R by each kernel's smc_diag)
 * and DiSNI verbs, all three open at once, measured in rounds that each run every transport
 * for the same time in a rotated order. What is compared is the per-round ratio, not absolute
 * figures from separate runs (the hosts here are shared and, in the lab, emulated).
 *
 * <pre>
 *   server:  java ... io.smcvertx.disni.pingpong.PingPong server --address 10.98.0.1
 *   client:  java ... io.smcvertx.disni.pingpong.PingPong client --address 10.98.0.1 --size 64
 * </pre>
 * Needs the flags and library of {@link io.smcvertx.disni.DisniReadiness} for the verbs leg.
 * Exit code 0 when every leg ran and every echo was intact, 1 on a failure, 2 on bad arguments.
 */
public final class PingPong {

    private final PingPongOptions options;
    private final PrintStream out;
    private final BufferedReader gate;

    private PingPong(PingPongOptions options, PrintStream out, BufferedReader gate) {
        this.options = options;
        this.out = out;
        this.gate = gate;
    }

    public static void main(String[] args) {
        PingPongOptions options;
        try {
            options = PingPongOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("pingpong: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(options, System.out);
            System.exit(0);
        } catch (Exception e) {
            System.out.println("pingpong: FAIL: " + e);
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }

    /** Runs one side to the end: the server until every leg was served, the client until the summary is printed. */
    static void run(PingPongOptions options, PrintStream out) throws Exception {
        run(options, out, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    /** As {@link #run(PingPongOptions, PrintStream)}, with the gate's answers ({@code --gate stdin}) read from {@code gate}. */
    static void run(PingPongOptions options, PrintStream out, BufferedReader gate) throws Exception {
        PingPong run = new PingPong(options, out, gate);
        if (options.server()) {
            run.serve();
        } else {
            run.measure();
        }
    }

    private void log(String line) {
        synchronized (out) {
            out.println("pingpong: " + line);
        }
    }

    private InetSocketAddress at(Transport t) {
        return new InetSocketAddress(options.address(), t.port(options.basePort()));
    }

    /** Listens on every transport at once, then serves one connection on each, in parallel. */
    private void serve() throws Exception {
        long timeout = TimeUnit.SECONDS.toMillis(options.timeoutSeconds());
        // verbs and SMC listen before TCP: a client whose TCP connect succeeded finds all three
        List<Transport> order = new ArrayList<>(options.transports());
        Collections.reverse(order);
        Map<Transport, Callable<Long>> servers = new EnumMap<>(Transport.class);
        for (Transport t : order) {
            if (t == Transport.VERBS) {
                VerbsLeg.Server s = VerbsLeg.listen(at(t), options.busyPoll(), timeout);
                servers.put(t, s::serve);
            } else {
                SocketLeg.Server s = SocketLeg.listen(t, at(t), timeout);
                servers.put(t, () -> s.serve(this::log));
            }
            log("listening: " + t + " on " + at(t));
        }
        log("ready");
        ExecutorService pool = Executors.newFixedThreadPool(servers.size());
        try {
            Map<Transport, Future<Long>> done = new EnumMap<>(Transport.class);
            servers.forEach((t, s) -> done.put(t, pool.submit(s)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.timeoutSeconds()) * 4;
            for (var e : done.entrySet()) {
                long messages = result(e.getValue(), deadline);
                log("served " + e.getKey() + ": " + messages + " messages echoed");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long result(Future<Long> future, long deadline) throws Exception {
        try {
            return future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        } catch (TimeoutException e) {
            throw new IOException("a server leg did not finish in time", e);
        }
    }

    /** Connects every transport, runs the rounds, prints each leg and the summary. */
    private void measure() throws Exception {
        long timeout = TimeUnit.SECONDS.toMillis(options.timeoutSeconds());
        Map<Transport, PingPongLink> links = new EnumMap<>(Transport.class);
        try {
            for (Transport t : connectOrder()) {
                links.put(t, connect(t, timeout));
                log("connected: " + t + " to " + at(t));
            }
            List<LegResult> results = new ArrayList<>();
            long sequence = 0;
            int total = options.warmupRounds() + options.rounds();
            rounds:
            for (int r = 0; r < total; r++) {
                int round = r - options.warmupRounds() + 1;
                List<Transport> order = new ArrayList<>(options.transports());
                Collections.rotate(order, -r);
                for (Transport t : order) {
                    if (!open(t, round)) {
                        break rounds;
                    }
                    LegResult leg = leg(t, links.get(t), round, sequence);
                    sequence += leg.trips();
                    log(leg.line() + (round <= 0 ? " warmup=1" : ""));
                    if (round > 0) {
                        results.add(leg);
                    }
                }
            }
            new PingPongSummary(options, results).print(out);
        } finally {
            for (PingPongLink link : links.values()) {
                try {
                    link.close();
                } catch (IOException e) {
                    log("closing a link: " + e);
                }
            }
        }
    }

    /**
     * With {@code --gate stdin}: announces the leg and waits for the caller's word, so whatever the caller
     * reads around the leg (both hosts' busy time) holds this leg and nothing else of this process.
     * Returns false when the caller says {@code stop} or closes the input: the rounds end there.
     */
    private boolean open(Transport t, int round) throws IOException {
        if (!options.gated()) {
            return true;
        }
        log("gate transport=" + t + " round=" + round);
        String word = gate.readLine();
        return word != null && !word.strip().equals("stop");
    }

    /** TCP first, retried until the server is up; by then it listens on the other transports too. */
    private List<Transport> connectOrder() {
        List<Transport> order = new ArrayList<>(options.transports());
        order.sort(Comparator.naturalOrder());
        return order;
    }

    private PingPongLink connect(Transport t, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            try {
                return t == Transport.VERBS
                        ? VerbsLeg.connect(at(t), options.size(), options.busyPoll(), timeoutMillis)
                        : SocketLeg.connect(t, at(t), options.size(), timeoutMillis, this::log);
            } catch (IOException e) {
                // only the first connection waits for a server that is still starting (refused, no ARP answer yet)
                if (t != connectOrder().getFirst() || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private LegResult leg(Transport t, PingPongLink link, int round, long firstSequence) throws IOException {
        long budget = (long) (options.secondsPerLeg() * 1e9);
        long[] trips = new long[1024];
        int count = 0;
        long start = System.nanoTime();
        long now = start;
        while (now - start < budget) {
            long before = now;
            link.trip(firstSequence + count);
            now = System.nanoTime();
            if (count == trips.length) {
                trips = Arrays.copyOf(trips, count * 2);
            }
            trips[count++] = now - before;
        }
        return LegResult.of(t, round, trips, count, now - start);
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
