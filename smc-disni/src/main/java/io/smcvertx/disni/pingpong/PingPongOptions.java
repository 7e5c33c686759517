package io.smcvertx.disni.pingpong;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command line of {@link PingPong}, checked as a whole: every bad value is named with the
 * option it came from.
 *
 * @param server          true for the echoing side
 * @param address         server: the address to listen on; client: the server's address
 * @param basePort        TCP listens here, SMC on +1, verbs (rdma_cm) on +2
 * @param size            message size in bytes (both directions)
 * @param rounds          measured rounds; each round runs every transport once, in a rotated order
 * @param warmupRounds    rounds run first and not reported (JIT, caches, connection warm-up)
 * @param secondsPerLeg   how long one transport runs in one round
 * @param busyPoll        verbs completions by spinning instead of sleeping on the completion channel
 * @param transports      which transports, in their first round's order
 * @param timeoutSeconds  bound on connecting and on any single wait
 * @param gated           client: before every leg, print a {@code gate} line and wait for a line on standard
 *                        input ({@code stop} or end of input ends the rounds), so a benchmark can read both hosts'
 *                        CPU counters exactly around each leg
 */
record PingPongOptions(boolean server, Inet4Address address, int basePort, int size, int rounds, int warmupRounds,
                       double secondsPerLeg, boolean busyPoll, List<Transport> transports, int timeoutSeconds,
                       boolean gated) {

    /** Largest message: the server's receive buffers have this size. */
    static final int MAX_SIZE = 1 << 20;

    static final String USAGE = """
            usage: PingPong server --address IPV4 [--port P] [--completion event|busy] [--timeout S]
                   PingPong client --address SERVER_IPV4 [--port P] [--size BYTES] [--rounds N] [--warmup N]
                                   [--seconds S] [--completion event|busy] [--transports tcp,smc,verbs] [--timeout S]
                                   [--gate none|stdin]
              TCP uses port P (default 7470), SMC P+1, verbs P+2. Defaults: 64 bytes, 5 rounds after 1 warm-up, 2 s a leg.""";

    static PingPongOptions parse(String... args) {
        List<String> errors = new ArrayList<>();
        if (args.length == 0 || !(args[0].equals("server") || args[0].equals("client"))) {
            throw new IllegalArgumentException("the first argument must be `server` or `client`\n" + USAGE);
        }
        boolean server = args[0].equals("server");
        Inet4Address address = null;
        int port = 7470;
        int size = 64;
        int rounds = 5;
        int warmup = 1;
        double seconds = 2;
        boolean busy = false;
        List<Transport> transports = List.of(Transport.values());
        int timeout = 300;
        boolean gated = false;
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                errors.add("`" + option + "` needs a value");
                break;
            }
            String value = args[++i];
            switch (option) {
                case "--address" -> address = ipv4(value, errors);
                case "--port" -> port = integer(option, value, 1, 65533, errors);
                case "--size" -> size = integer(option, value, Long.BYTES, MAX_SIZE, errors);
                case "--rounds" -> rounds = integer(option, value, 1, 1000, errors);
                case "--warmup" -> warmup = integer(option, value, 0, 1000, errors);
                case "--seconds" -> seconds = seconds(value, errors);
                case "--completion" -> busy = either(option, "event", "busy", value, errors);
                case "--transports" -> transports = transports(value, errors);
                case "--timeout" -> timeout = integer(option, value, 1, 86_400, errors);
                case "--gate" -> gated = either(option, "none", "stdin", value, errors);
                default -> errors.add("unknown option `" + option + "`");
            }
        }
        if (address == null && errors.stream().noneMatch(e -> e.startsWith("`--address`"))) {
            errors.add("`--address` is required");
        }
        if (gated && server) {
            errors.add("`--gate` is a client option (the client decides when each leg runs)");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors) + "\n" + USAGE);
        }
        return new PingPongOptions(server, address, port, size, rounds, warmup, seconds, busy, transports, timeout, gated);
    }

    private static Inet4Address ipv4(String value, List<String> errors) {
        try {
            if (value.matches("[0-9.]+") && InetAddress.getByName(value) instanceof Inet4Address v4) {
                return v4;
            }
        } catch (UnknownHostException e) {
            // reported below
        }
        errors.add("`--address` must be an IPv4 address in dotted form, not '" + value + "'");
        return null;
    }

    private static int integer(String option, String value, int min, int max, List<String> errors) {
        try {
            int v = Integer.parseInt(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add("`" + option + "` must be a whole number from " + min + " to " + max + ", not '" + value + "'");
        return min;
    }

    private static double seconds(String value, List<String> errors) {
        try {
            double v = Double.parseDouble(value);
            if (v > 0 && v <= 3600) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add("`--seconds` must be a number greater than 0 and at most 3600, not '" + value + "'");
        return 1;
    }

    /** A two-word option: {@code no} is false, {@code yes} true, anything else an error naming the option. */
    private static boolean either(String option, String no, String yes, String value, List<String> errors) {
        if (!value.equals(no) && !value.equals(yes)) {
            errors.add("`" + option + "` must be `" + no + "` or `" + yes + "`, not '" + value + "'");
        }
        return value.equals(yes);
    }

    private static List<Transport> transports(String value, List<String> errors) {
        List<Transport> list = new ArrayList<>();
        for (String name : value.split(",")) {
            try {
                Transport t = Transport.valueOf(name.trim().toUpperCase(Locale.ROOT));
                if (list.contains(t)) {
                    errors.add("`--transports` names " + name + " twice");
                }
                list.add(t);
            } catch (IllegalArgumentException e) {
                errors.add("`--transports` must list tcp, smc and/or verbs, not '" + name + "'");
            }
        }
        return List.copyOf(list);
    }
}
