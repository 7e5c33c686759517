package io.smcvertx.disni.pingpong;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The result table: per transport the median (and range) over rounds of round trips per second
 * and of the per-round p50/p99 latencies, and per pair of transports the ratio taken within each
 * round, median [min, max]: the figure that stays meaningful on a shared, emulated machine.
 */
final class PingPongSummary {

    private final PingPongOptions options;
    private final Map<Transport, List<LegResult>> byTransport = new EnumMap<>(Transport.class);
    private final Map<Integer, Map<Transport, LegResult>> byRound = new TreeMap<>();

    PingPongSummary(PingPongOptions options, List<LegResult> results) {
        this.options = options;
        for (LegResult r : results) {
            byTransport.computeIfAbsent(r.transport(), t -> new ArrayList<>()).add(r);
            byRound.computeIfAbsent(r.round(), k -> new EnumMap<>(Transport.class)).put(r.transport(), r);
        }
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "%n## Ping-pong, %d-byte messages, %d rounds x %s s per transport (after %d warm-up), verbs completions: %s%n%n",
                options.size(), options.rounds(), PingPong.format(options.secondsPerLeg()), options.warmupRounds(),
                options.busyPoll() ? "busy poll" : "event (completion channel)");
        out.println("| transport | round trips/s, median [min, max] | p50 us (median of rounds) | p99 us (median of rounds) |");
        out.println("|---|---|---|---|");
        byTransport.forEach((t, legs) -> out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f |%n", t,
                spread(legs.stream().mapToDouble(LegResult::tripsPerSecond).toArray(), "%.0f"),
                median(legs.stream().mapToDouble(l -> l.p50Nanos() / 1e3).toArray()),
                median(legs.stream().mapToDouble(l -> l.p99Nanos() / 1e3).toArray())));
        out.println();
        out.println("| ratio of round trips/s, per round | median [min, max] |");
        out.println("|---|---|");
        for (Transport[] pair : new Transport[][] {{Transport.SMC, Transport.TCP}, {Transport.VERBS, Transport.TCP},
                {Transport.VERBS, Transport.SMC}}) {
            double[] ratios = ratios(pair[0], pair[1], LegResult::tripsPerSecond);
            if (ratios.length > 0) {
                out.printf(Locale.ROOT, "| %s / %s | %s |%n", pair[0], pair[1], spread(ratios, "%.2f"));
                out.printf(Locale.ROOT, "pingpong ratio=%s/%s median=%.3f min=%.3f max=%.3f%n", pair[0], pair[1],
                        median(ratios), min(ratios), max(ratios));
            }
        }
        byTransport.forEach((t, legs) -> out.printf(Locale.ROOT, "pingpong summary transport=%s trips_per_s_median=%.1f p50_us_median=%.1f%n",
                t, median(legs.stream().mapToDouble(LegResult::tripsPerSecond).toArray()),
                median(legs.stream().mapToDouble(l -> l.p50Nanos() / 1e3).toArray())));
    }

    private double[] ratios(Transport a, Transport b, ToDoubleFunction<LegResult> metric) {
        List<Double> list = new ArrayList<>();
        for (Map<Transport, LegResult> round : byRound.values()) {
            if (round.containsKey(a) && round.containsKey(b)) {
                list.add(metric.applyAsDouble(round.get(a)) / metric.applyAsDouble(round.get(b)));
            }
        }
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String spread(double[] values, String format) {
        return String.format(Locale.ROOT, format + " [" + format + ", " + format + "]", median(values), min(values), max(values));
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
