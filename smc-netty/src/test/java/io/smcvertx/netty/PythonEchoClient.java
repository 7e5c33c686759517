package io.smcvertx.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A plain TCP peer no one here wrote: python3 streams 1 MiB through an echo server on 127.0.0.1,
 * prints {@code echoed <bytes> <intact>}, and keeps its connection open until the test has looked
 * at it (what the kernel says about the server's end of a non-SMC peer).
 */
final class PythonEchoClient {

    /** What to check while the python client's connection is still open. */
    @FunctionalInterface
    interface WhileOpen {
        void check() throws Exception;
    }

    private static final String SCRIPT = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            data = bytes(range(256)) * 4096
            s.sendall(data)
            got = bytearray()
            while len(got) < len(data):
                b = s.recv(65536)
                if not b: break
                got += b
            print("echoed", len(got), got == data, flush=True)
            sys.stdin.readline()
            s.close()
            """;

    private PythonEchoClient() {
    }

    /** Runs the client against {@code port}; {@code whileOpen} runs once it has echoed. Returns its verdict line. */
    static String run(int port, WhileOpen whileOpen) throws Exception {
        Process py = new ProcessBuilder("/usr/bin/python3", "-c", SCRIPT, String.valueOf(port)).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = py.getOutputStream()) {
            String line = out.readLine();
            if (line != null && line.startsWith("echoed")) {
                whileOpen.check();
            }
            in.write('\n');
            in.flush();
            return line;
        } finally {
            assertThat(py.waitFor(120, TimeUnit.SECONDS)).as("python3 client exits").isTrue();
        }
    }
}
