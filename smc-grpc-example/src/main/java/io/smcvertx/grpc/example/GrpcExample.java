package io.smcvertx.grpc.example;

import io.smcvertx.netty.Addresses;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.SmcMode;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs the echo server or a client of it, for people and for benchmarks:
 *
 * <pre>
 * GrpcExample server &lt;host&gt; &lt;port&gt; [PREFERRED|REQUIRED|DISABLED]
 * GrpcExample client &lt;host&gt; &lt;port&gt; [PREFERRED|REQUIRED|DISABLED] [calls]
 * </pre>
 *
 * The server prints {@code listening <host>:<port> ...} once it listens and serves until killed.
 * The client makes {@code calls} unary calls (default 1000), one server stream and one
 * bidirectional stream, and prints what each end's kernel made of its connection, the server's
 * SMC meters and {@code calls <n> in <ms> ms}. Hosts are IP literals (no DNS).
 */
public final class GrpcExample {

    /** The parsed command line. */
    record Args(String role, InetSocketAddress address, SmcMode mode, int calls) {
    }

    private GrpcExample() {
    }

    /** Entry point; exit code 2 for bad arguments, with a message naming the field. */
    public static void main(String[] argv) throws Exception {
        Args args;
        try {
            args = parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("GrpcExample: " + e.getMessage());
            System.err.println("usage: GrpcExample server <host> <port> [PREFERRED|REQUIRED|DISABLED]");
            System.err.println("       GrpcExample client <host> <port> [PREFERRED|REQUIRED|DISABLED] [calls]");
            System.exit(2);
            return;
        }
        if (args.role().equals("server")) {
            try (EchoServer server = EchoServer.start(args.address(), SmcPolicy.of(args.mode()))) {
                System.out.println("listening " + Addresses.hostPort(new InetSocketAddress(args.address().getAddress(), server.port()))
                        + " " + server.smc());
                System.out.flush();
                server.awaitTermination();
            }
        } else {
            runClient(args, System.out);
        }
    }

    /** The client run of {@code main}, printing to {@code out}. */
    static void runClient(Args args, PrintStream out) throws Exception {
        try (EchoClient client = EchoClient.open(args.address(), SmcPolicy.of(args.mode()))) {
            out.println("say: " + client.say("hello over SMC"));
            out.println("client: " + client.clientView().logLine());
            out.println("server: " + client.serverView());
            out.println("count: " + String.join(",", client.count(10)));
            out.println("chat: " + String.join(",", client.chat(List.of("a", "b", "c"))));
            long start = System.nanoTime();
            for (int i = 0; i < args.calls(); i++) {
                client.say("call " + i);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            out.println("calls " + args.calls() + " in " + ms + " ms");
            out.println("server metrics:\n" + client.serverMetrics());
        }
    }

    /** Parses the command line; errors name the field. */
    static Args parse(String[] argv) {
        if (argv.length < 3 || argv.length > 5) {
            throw new IllegalArgumentException("expected <server|client> <host> <port> [mode] [calls], got: " + Arrays.toString(argv));
        }
        String role = argv[0];
        if (!role.equals("server") && !role.equals("client")) {
            throw new IllegalArgumentException("`role` must be server or client, got: " + role);
        }
        InetSocketAddress address = new InetSocketAddress(Addresses.literal(argv[1], "host"), intIn(argv[2], "port", 0, 65535));
        SmcMode mode = argv.length > 3 ? mode(argv[3]) : SmcMode.PREFERRED;
        if (argv.length > 4 && role.equals("server")) {
            throw new IllegalArgumentException("`calls` is for the client only, got: " + argv[4]);
        }
        int calls = argv.length > 4 ? intIn(argv[4], "calls", 0, Integer.MAX_VALUE) : 1000;
        return new Args(role, address, mode, calls);
    }

    private static SmcMode mode(String text) {
        try {
            return SmcMode.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("`mode` must be one of " + Arrays.toString(SmcMode.values()) + ", got: " + text);
        }
    }

    private static int intIn(String text, String field, int min, int max) {
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("`" + field + "` must be an integer, got: " + text);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("`" + field + "` must be " + min + ".." + max + ", got: " + value);
        }
        return value;
    }
}
