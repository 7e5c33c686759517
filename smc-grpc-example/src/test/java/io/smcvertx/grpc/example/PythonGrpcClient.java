package io.smcvertx.grpc.example;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC client no one here wrote: Debian's python3-grpcio (installed by deploy/lab/setup.sh),
 * plain TCP, calling the echo service with raw bytes (no generated code). It prints one line per
 * call, then keeps its connection open until the test has looked at it.
 */
final class PythonGrpcClient {

    /** What to check while the python client's connection is still open. */
    @FunctionalInterface
    interface WhileOpen {
        void check() throws Exception;
    }

    private static final String SCRIPT = """
            import sys
            import grpc
            target = "127.0.0.1:" + sys.argv[1]
            # patience for a slow guest: C-core gives a connection attempt 20 s (its minimum reconnect backoff) to
            # get the server's SETTINGS frame; a cold JVM under emulation can take longer for its first one
            options = [("grpc.enable_http_proxy", 0), ("grpc.min_reconnect_backoff_ms", 180000)]
            with grpc.insecure_channel(target, options=options) as ch:
                svc = "/smcvertx.example.Echo/"
                say = ch.unary_unary(svc + "Say")
                print("say", say(b"hello from python grpcio " + grpc.__version__.encode(), timeout=300, wait_for_ready=True).decode(), flush=True)
                print("count", ",".join(m.decode() for m in ch.unary_stream(svc + "Count")(b"5", timeout=300)), flush=True)
                print("chat", ",".join(m.decode() for m in ch.stream_stream(svc + "Chat")(iter([b"x", b"y", b"z"]), timeout=300)), flush=True)
                print("mode", ch.unary_unary(svc + "Mode")(b"", timeout=300).decode(), flush=True)
                sys.stdin.readline()
            """;

    private PythonGrpcClient() {
    }

    /** Runs the client against {@code port}; {@code whileOpen} runs once it made its four calls. Returns its lines. */
    static List<String> run(int port, WhileOpen whileOpen) throws Exception {
        Process py = new ProcessBuilder("/usr/bin/python3", "-c", SCRIPT, String.valueOf(port)).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = py.getOutputStream()) {
            for (String line; lines.size() < 4 && (line = out.readLine()) != null; ) {
                lines.add(line);
            }
            if (lines.size() == 4 && lines.get(3).startsWith("mode ")) {
                whileOpen.check();
            }
            in.write('\n');
            in.flush();
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line); // anything after the calls is an error worth seeing
            }
            return lines;
        } finally {
            if (!py.waitFor(120, TimeUnit.SECONDS)) {
                py.destroyForcibly();
                throw new AssertionError("python3 grpcio client did not exit: " + lines);
            }
        }
    }
}
