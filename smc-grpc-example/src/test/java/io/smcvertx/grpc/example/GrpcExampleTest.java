package io.smcvertx.grpc.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.SmcMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The example's server and client on this host (no kernel SMC): every call answered, and each end
 * says it is on TCP and why. {@code GrpcOverSmcIT} runs the same classes in the lab.
 */
class GrpcExampleTest {

    @Test
    void clientRunAgainstTheServerAnswersEveryCallAndTellsEachEndsMode() throws Exception {
        try (EchoServer server = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), SmcPolicy.DEFAULT)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            GrpcExample.runClient(GrpcExample.parse(new String[] {"client", "127.0.0.1", String.valueOf(server.port()), "preferred", "20"}),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String out = bytes.toString(StandardCharsets.UTF_8);
            System.out.println(out);
            assertThat(out).contains("say: hello over SMC\n", "count: 1,2,3,4,5,6,7,8,9,10\n", "chat: a,b,c\n", "calls 20 in ");
            String expected = server.smc().smcSockets() ? ": SMCD" : ": TCP [SMC unavailable: ";
            assertThat(out).containsPattern("client: connected 127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:" + server.port() + "\\Q" + expected);
            assertThat(out).containsPattern("server: accepted 127\\.0\\.0\\.1:" + server.port() + " <- 127\\.0\\.0\\.1:\\d+\\Q" + expected);
            // the server's meters, bound the way every stack binds them, counted this connection
            assertThat(out).containsPattern("smcvertx\\.connections\\.open\\{mode=" + (server.smc().smcSockets() ? "SMCD" : "TCP") + "\\} 1\n");
        }
    }

    @Test
    void badArgumentsNameTheField() {
        assertThatThrownBy(() -> GrpcExample.parse(new String[] {"serve", "127.0.0.1", "1"})).hasMessageContaining("`role`");
        assertThatThrownBy(() -> GrpcExample.parse(new String[] {"server", "localhost", "1"})).hasMessageContaining("`host`");
        assertThatThrownBy(() -> GrpcExample.parse(new String[] {"server", "127.0.0.1", "70000"})).hasMessageContaining("`port` must be 0..65535");
        assertThatThrownBy(() -> GrpcExample.parse(new String[] {"client", "127.0.0.1", "1", "smc"})).hasMessageContaining("`mode` must be one of");
        assertThatThrownBy(() -> GrpcExample.parse(new String[] {"client", "127.0.0.1", "1", "REQUIRED", "-1"})).hasMessageContaining("`calls`");
        assertThat(GrpcExample.parse(new String[] {"client", "::1", "50051", "disabled", "5"}))
                .isEqualTo(new GrpcExample.Args("client", new InetSocketAddress("::1", 50051), SmcMode.DISABLED, 5));
    }
}
