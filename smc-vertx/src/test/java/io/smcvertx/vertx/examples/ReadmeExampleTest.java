package io.smcvertx.vertx.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.vertx.SmcConnections;
import io.smcvertx.vertx.SmcTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's "make my existing Vert.x app use SMC" example, compiled and run: here on a host
 * without SMC, and by {@code SmcNodeIT} in the kernel lab.
 */
public class ReadmeExampleTest {

    /** What the example leaves behind: its Vert.x (to close) and what it printed. */
    public record Run(Vertx vertx, SmcConnectionInfo info) {
    }

    /** The README's lines between the markers, unchanged. */
    public static Run runExample() throws Exception {
        // <readme>
        Vertx vertx = Vertx.builder().withTransport(SmcTransport.create()).build(); // the only change
        int port = vertx.createNetServer().connectHandler(s -> s.handler(s::write)).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).actualPort();
        NetSocket socket = vertx.createNetClient().connect(port, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Future<SmcConnectionInfo> info = SmcConnections.of(vertx).info(socket); // the kernel's word, off the event loop
        SmcConnectionInfo i = info.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println(i.mode() + " " + i.fallbackReasonName() + " " + i.note());
        // SMCD / SMCR when both ends got SMC; FALLBACK_TCP with the kernel's reason; TCP when SMC is unavailable
        // </readme>
        return new Run(vertx, i);
    }

    @Test
    void anExistingAppOnTheSmcTransport() throws Exception {
        Run run = runExample();
        try {
            assertThat(run.info().mode()).as("this host's kernel has no SMC").isEqualTo(ConnectionMode.TCP);
            assertThat(run.info().note()).contains("EAFNOSUPPORT");
        } finally {
            run.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
