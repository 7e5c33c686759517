package io.smcvertx.disni.pingpong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The ping-pong on the build host: its TCP leg for real over loopback (the SMC and verbs legs
 * need the lab), the refusal of an SMC socket by a kernel without SMC, and the arithmetic of
 * the summary.
 */
class PingPongTest {

    @Test
    void theTcpLegRunsOverLoopbackAndEveryEchoIsCounted() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ByteArrayOutputStream serverOut = new ByteArrayOutputStream();
        ByteArrayOutputStream clientOut = new ByteArrayOutputStream();
        String p = String.valueOf(port);
        CompletableFuture<Void> server = tcpServer(p, serverOut);

        PingPong.run(PingPongOptions.parse("client", "--address", "127.0.0.1", "--port", p, "--transports", "tcp",
                "--size", "256", "--rounds", "2", "--warmup", "1", "--seconds", "0.2", "--timeout", "60"),
                new PrintStream(clientOut, true, StandardCharsets.UTF_8));
        server.get(2, TimeUnit.MINUTES);

        String client = clientOut.toString(StandardCharsets.UTF_8);
        List<Long> trips = client.lines().filter(l -> l.startsWith("pingpong: pingpong transport=TCP"))
                .map(l -> Long.parseLong(l.replaceAll(".* trips=(\\d+) .*", "$1"))).toList();
        assertThat(trips).hasSize(3).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(client).contains("| TCP | ").contains("pingpong summary transport=TCP");
        assertThat(serverOut.toString(StandardCharsets.UTF_8))
                .contains("served TCP: " + trips.stream().mapToLong(Long::longValue).sum() + " messages echoed");
    }

    /** The echoing side, TCP only, on 127.0.0.1:port, in the background. */
    private static CompletableFuture<Void> tcpServer(String port, ByteArrayOutputStream out) {
        return CompletableFuture.runAsync(() -> {
            try {
                PingPong.run(PingPongOptions.parse("server", "--address", "127.0.0.1", "--port", port, "--transports", "tcp",
                        "--timeout", "60"), new PrintStream(out, true, StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aGatedClientRunsOneLegPerWordAndStopsWhenTold() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String p = String.valueOf(port);
        ByteArrayOutputStream serverOut = new ByteArrayOutputStream();
        CompletableFuture<Void> server = tcpServer(p, serverOut);
        ByteArrayOutputStream clientOut = new ByteArrayOutputStream();
        // 1 warm-up + 5 rounds asked for; the caller lets two legs run, then says stop
        PingPong.run(PingPongOptions.parse("client", "--address", "127.0.0.1", "--port", p, "--transports", "tcp",
                "--rounds", "5", "--seconds", "0.1", "--timeout", "60", "--gate", "stdin"),
                new PrintStream(clientOut, true, StandardCharsets.UTF_8), new BufferedReader(new StringReader("go\ngo\nstop\n")));
        server.get(2, TimeUnit.MINUTES);

        List<String> lines = clientOut.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.stream().filter(l -> l.startsWith("pingpong: gate transport=TCP")))
                .containsExactly("pingpong: gate transport=TCP round=0", "pingpong: gate transport=TCP round=1",
                        "pingpong: gate transport=TCP round=2");
        assertThat(lines.stream().filter(l -> l.startsWith("pingpong: pingpong transport=TCP"))).hasSize(2);
        assertThat(serverOut.toString(StandardCharsets.UTF_8)).contains("served TCP: ");
        assertThatThrownBy(() -> PingPongOptions.parse("server", "--address", "127.0.0.1", "--gate", "stdin"))
                .hasMessageContaining("`--gate` is a client option");
        assertThatThrownBy(() -> PingPongOptions.parse("client", "--address", "127.0.0.1", "--gate", "fifo"))
                .hasMessageContaining("`--gate` must be `none` or `stdin`, not 'fifo'");
    }

    @Test
    void aKernelWithoutSmcRefusesTheSmcSocketByName() {
        // the build host has no SMC (socket(AF_SMC) gives EAFNOSUPPORT); the lab guests do
        assertThatThrownBy(() -> SocketLeg.connect(Transport.SMC, new InetSocketAddress("127.0.0.1", 9), 64, 1000, l -> { }))
                .isInstanceOf(IOException.class)
                .hasMessage("socket(AF_SMC) failed: EAFNOSUPPORT (no SMC in this kernel: modprobe smc) (errno 97)");
    }

    @Test
    void percentilesAndPerRoundRatios() {
        long[] trips = {50, 10, 40, 20, 30, 100, 90, 80, 70, 60};
        LegResult leg = LegResult.of(Transport.TCP, 1, trips, trips.length, 1_000_000_000L);
        assertThat(leg.p50Nanos()).isEqualTo(50);
        assertThat(leg.p99Nanos()).isEqualTo(100);
        assertThat(leg.tripsPerSecond()).isEqualTo(10.0);

        PingPongOptions options = PingPongOptions.parse("client", "--address", "10.98.0.1");
        List<LegResult> results = List.of(
                new LegResult(Transport.TCP, 1, 100, 1_000_000_000L, 1, 1), new LegResult(Transport.VERBS, 1, 300, 1_000_000_000L, 1, 1),
                new LegResult(Transport.TCP, 2, 200, 1_000_000_000L, 1, 1), new LegResult(Transport.VERBS, 2, 400, 1_000_000_000L, 1, 1),
                new LegResult(Transport.TCP, 3, 100, 1_000_000_000L, 1, 1), new LegResult(Transport.VERBS, 3, 100, 1_000_000_000L, 1, 1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PingPongSummary(options, results).print(new PrintStream(out, true, StandardCharsets.UTF_8));

        // per round 3.0, 2.0, 1.0: the median of the ratios, not the ratio of the medians (4.0 / 1.0 ... )
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("pingpong ratio=VERBS/TCP median=2.000 min=1.000 max=3.000")
                .contains("| TCP | 100 [100, 200] |")
                .doesNotContain("ratio=SMC/");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> PingPongOptions.parse("client", "--address", "example.org", "--size", "4", "--completion", "spin",
                "--transports", "tcp,quic"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`--address` must be an IPv4 address in dotted form, not 'example.org'")
                .hasMessageContaining("`--size` must be a whole number from 8 to 1048576, not '4'")
                .hasMessageContaining("`--completion` must be `event` or `busy`, not 'spin'")
                .hasMessageContaining("`--transports` must list tcp, smc and/or verbs, not 'quic'");
        assertThatThrownBy(() -> PingPongOptions.parse("client", "--size", "64"))
                .hasMessageContaining("`--address` is required");
        assertThatThrownBy(() -> PingPongOptions.parse("echo"))
                .hasMessageContaining("the first argument must be `server` or `client`");
    }
}
