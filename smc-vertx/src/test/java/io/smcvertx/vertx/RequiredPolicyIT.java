package io.smcvertx.vertx;

import static io.smcvertx.vertx.lab.Lab.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.SmcMode;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.vertx.lab.Child;
import io.smcvertx.vertx.lab.Lab;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The REQUIRED mode against the lab kernel: an {@code echo} listener on a Vert.x whose policy
 * requires SMC closes a plain TCP peer (python3) once smc_diag says the kernel left it on TCP,
 * and counts it by the kernel's reason; an SMC peer is served as usual.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RequiredPolicyIT {

    static final String HOST = "127.0.0.1";
    static final int PORT = 18486;
    static final String PEER_NO_SMC = "0x03010000";

    /** A plain TCP client: says hello, then reports how the server ended the connection. */
    static final String PLAIN_CLIENT = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=300)
            print("local", s.getsockname()[1], flush=True)
            s.sendall(b"hello over plain TCP\\n")
            got = 0
            try:
                while True:
                    b = s.recv(65536)
                    if not b:
                        print("end eof", got, flush=True)
                        break
                    got += len(b)
            except ConnectionResetError:
                print("end reset", got, flush=True)
            except socket.timeout:
                print("end timeout", got, flush=True)
            """;

    private Vertx vertx;
    private SmcConnections smc;

    @BeforeAll
    void start() throws Exception {
        Lab.requireSmc();
        vertx = Vertx.builder().withTransport(SmcTransport.create(SmcPolicy.of(SmcMode.REQUIRED))).build();
        smc = SmcConnections.of(vertx);
        JsonObject listener = new JsonObject().put("name", "required-echo").put("protocol", "tcp").put("host", HOST)
                .put("port", PORT).put("drainSeconds", 1).put("handler", new JsonObject().put("name", "echo"));
        join(vertx.deployVerticle(() -> new SmcServerVerticle(), new DeploymentOptions().setConfig(listener)));
    }

    @AfterAll
    void stop() throws Exception {
        if (vertx != null) {
            join(vertx.close());
        }
    }

    @Test
    void aPlainTcpPeerIsClosedAndCountedWithTheKernelsReason() throws Exception {
        long before = smc.requiredClosedByReason().getOrDefault(PEER_NO_SMC, 0L);
        try (Child python = Child.python(PLAIN_CLIENT, PORT)) {
            String port = python.expect("local");
            String end = python.expect("end");
            System.out.println("required: python client port " + port + ": " + end + " | closed by reason "
                    + smc.requiredClosedByReason() + " | fallbacks " + smc.fallbacksByReason());
            assertThat(end).as("the server, not the client, ended it").matches("(eof|reset) \\d+");
        }
        await("the close counted").atMost(Duration.ofSeconds(30))
                .until(() -> smc.requiredClosedByReason().getOrDefault(PEER_NO_SMC, 0L) == before + 1);
        assertThat(smc.fallbacksByReason().getOrDefault(PEER_NO_SMC, 0L)).isGreaterThanOrEqualTo(1L);
    }

    @Test
    void anSmcPeerIsServed() throws Exception {
        long closedBefore = total(smc.requiredClosedByReason());
        // held until the socket is closed: Vert.x 5 closes an unreachable NetClient with its connections on GC
        NetClient client = vertx.createNetClient();
        NetSocket socket = join(client.connect(PORT, HOST));
        try {
            Buffer sent = Buffer.buffer("over SMC-D, as required\n".repeat(50));
            assertThat(Lab.echo(socket, sent)).isEqualTo(sent);
            SmcConnectionInfo info = join(smc.info(socket));
            String clientAddress = socket.localAddress().hostAddress() + ":" + socket.localAddress().port();
            SmcConnectionInfo accepted = await("the listener's view of " + clientAddress).atMost(Duration.ofSeconds(90))
                    .until(() -> smc.open().stream().filter(c -> c.side() == SmcConnectionInfo.Side.SERVER
                            && c.remote().equals(clientAddress) && c.mode() != ConnectionMode.UNKNOWN).findFirst(),
                            java.util.Optional::isPresent).orElseThrow();
            System.out.println("required: smc client " + info.logLine() + " | listener " + accepted.logLine());
            assertThat(info.mode()).as(info.logLine()).isEqualTo(ConnectionMode.SMCD);
            assertThat(accepted.mode()).as(accepted.logLine()).isEqualTo(ConnectionMode.SMCD);
            assertThat(total(smc.requiredClosedByReason())).isEqualTo(closedBefore);
        } finally {
            join(socket.close());
            join(client.close());
        }
    }

    private static long total(java.util.Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
