package io.smcvertx.vertx;

import static io.smcvertx.vertx.lab.Lab.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.vertx.lab.Child;
import io.smcvertx.vertx.lab.Lab;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A listener rule that says TCP, against the lab kernel: that listener is a plain TCP socket (an
 * SMC listener forced to fall back before bind would hang every connection it accepts, which the
 * epoll probe below shows), while the other listeners of the same Vert.x serve over SMC-D.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ListenerRuleIT {

    static final String HOST = "127.0.0.1";
    static final int TCP_PORT = 18487;
    static final int SMC_PORT = 18488;

    private Vertx vertx;
    private SmcConnections smc;

    @BeforeAll
    void start() {
        Lab.requireSmc();
        SmcPolicy policy = SmcPolicy.builder().listener(HOST, TCP_PORT, SmcPolicy.Use.TCP).build();
        vertx = Vertx.builder().withTransport(SmcTransport.create(policy)).build();
        smc = SmcConnections.of(vertx);
    }

    @AfterAll
    void stop() throws Exception {
        if (vertx != null) {
            join(vertx.close());
        }
    }

    private static DeploymentOptions httpListener(int port) {
        return new DeploymentOptions().setConfig(new JsonObject().put("protocol", "http").put("host", HOST).put("port", port)
                .put("drainSeconds", 1).put("handler", new JsonObject().put("name", "http")));
    }

    @Test
    void aListenerRuledTcpServesOverPlainTcpAndTheOtherListenersOverSmcd() throws Exception {
        join(vertx.deployVerticle(() -> new SmcServerVerticle(), httpListener(TCP_PORT)));
        join(vertx.deployVerticle(() -> new SmcServerVerticle(), httpListener(SMC_PORT)));
        assertThat(smc.listeners()).containsEntry(HOST + ":" + TCP_PORT, "TCP (listener rule)")
                .containsEntry(HOST + ":" + SMC_PORT, "SMC");

        HttpClient http = vertx.createHttpClient();
        try {
            for (int port : new int[] {TCP_PORT, SMC_PORT}) {
                HttpConnection connection = join(http.request(HttpMethod.GET, port, HOST, "/health").compose(req -> req.send()
                        .compose(HttpClientResponse::body)
                        .map(body -> {
                            assertThat(body.toJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
                            return req.connection();
                        })));
                SmcConnectionInfo client = join(smc.info(connection));
                String peer = connection.localAddress().hostAddress() + ":" + connection.localAddress().port();
                SmcConnectionInfo listener = await("the listener's view of " + peer).atMost(Duration.ofSeconds(90))
                        .until(() -> smc.open().stream().filter(c -> c.side() == SmcConnectionInfo.Side.SERVER
                                && c.remote().equals(peer) && c.mode() != ConnectionMode.UNKNOWN).findFirst(), Optional::isPresent)
                        .orElseThrow();
                System.out.println("listener rule, port " + port + ": client " + client.logLine() + " | listener " + listener.logLine());
                if (port == TCP_PORT) {
                    // the SMC client's SYN found a plain TCP listener: the kernel's word on the client end
                    assertThat(client.mode()).as(client.logLine()).isEqualTo(ConnectionMode.FALLBACK_TCP);
                    assertThat(client.fallbackReason()).as(client.logLine()).isEqualTo(0x03010000);
                    assertThat(listener.mode()).as(listener.logLine()).isEqualTo(ConnectionMode.TCP);
                    assertThat(listener.logLine()).contains("policy: plain TCP");
                } else {
                    assertThat(client.mode()).as(client.logLine()).isEqualTo(ConnectionMode.SMCD);
                    assertThat(listener.mode()).as(listener.logLine()).isEqualTo(ConnectionMode.SMCD);
                }
            }
            // a plain client no one here wrote, on the TCP listener: served, never stuck
            try (Child curl = Child.start("/usr/bin/curl", "-sS", "--max-time", "60",
                    "http://" + HOST + ":" + TCP_PORT + "/health")) {
                assertThat(new JsonObject(curl.readLine())).isEqualTo(new JsonObject().put("status", "UP"));
            }
        } finally {
            join(http.close());
        }
    }

    /**
     * What Netty does with an accepted connection, in python3 on raw AF_SMC sockets: a listener
     * (forced to TCP before bind, or not), a plain TCP client that sends after the accepted
     * socket is in an edge-triggered epoll set; prints whether epoll woke and what read() got.
     */
    static final String EPOLL_PROBE = """
            import ctypes, select, socket, struct, sys, time
            libc = ctypes.CDLL(None, use_errno=True)
            AF_SMC, TCP_FASTOPEN, SOCK_NONBLOCK, ET = 43, 23, 0o4000, select.EPOLLET
            force_tcp, port = sys.argv[1] == "tcp", int(sys.argv[2])
            fd = libc.socket(AF_SMC, socket.SOCK_STREAM | SOCK_NONBLOCK, 0)
            one, zero = ctypes.c_int(1), ctypes.c_int(0)
            libc.setsockopt(fd, socket.SOL_SOCKET, socket.SO_REUSEADDR, ctypes.byref(one), 4)
            if force_tcp:
                assert libc.setsockopt(fd, socket.IPPROTO_TCP, TCP_FASTOPEN, ctypes.byref(zero), 4) == 0
            addr = struct.pack("=HH4s8x", socket.AF_INET, socket.htons(port), socket.inet_aton("127.0.0.1"))
            assert libc.bind(fd, addr, len(addr)) == 0 and libc.listen(fd, 16) == 0, ctypes.get_errno()
            client = socket.create_connection(("127.0.0.1", port))
            select.select([fd], [], [], 30)
            child = libc.accept4(fd, None, None, SOCK_NONBLOCK)
            ep = select.epoll()
            ep.register(child, ET)
            ep.modify(child, ET | select.EPOLLIN | select.EPOLLRDHUP)
            time.sleep(0.3)
            client.sendall(b"ping")
            woke = bool(ep.poll(5))
            buf = ctypes.create_string_buffer(16)
            print("probe", "woke" if woke else "silent", libc.read(child, buf, 16), flush=True)
            """;

    @Test
    void whyTheListenerIsPlainTcpTheKernelDoesNotWakeConnectionsOfAListenerForcedToTcp() throws Exception {
        String smc = probe("smc", 18491);
        String forced = probe("tcp", 18492);
        System.out.println("epoll probe: AF_SMC listener: " + smc + " | forced to TCP before bind: " + forced);
        assertThat(smc).as("control: an SMC listener's connection").isEqualTo("woke 4");
        assertThat(forced).as("the data is there, but epoll is never woken for it").isEqualTo("silent 4");
    }

    private static String probe(String listener, int port) throws Exception {
        try (Child python = Child.python(EPOLL_PROBE, listener, port)) {
            return python.expect("probe");
        }
    }
}
