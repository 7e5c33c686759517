package io.smcvertx.vertx.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.vertx.SmcConnections;
import io.smcvertx.vertx.SmcTransport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's "make my existing Vert.x app use SMC" example, compiled and run: here on a host
 * without SMC, and by {@code SmcNodeIT} in the kernel lab.
 */
public class ReadmeExampleTest {

    /**
     * What the example leaves behind: its Vert.x (to close), its server, client and connection (the
     * client held here so it stays reachable: Vert.x 5 closes an unreachable NetClient on GC) and what
     * it printed.
     */
    public record Run(Vertx vertx, NetServer server, NetClient client, NetSocket socket, SmcConnectionInfo info) {
    }

    /** The README's lines between the markers, unchanged (checked by {@link #theReadmeShowsTheseLines()}). */
    public static Run runExample() throws Exception {
        // <readme>
        Vertx vertx = Vertx.builder().withTransport(SmcTransport.create()).build(); // the only change
        NetServer server = vertx.createNetServer().connectHandler(s -> s.handler(s::write));
        int port = server.listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).actualPort();
        // keep the client referenced while its connections are in use: Vert.x 5 closes an
        // unreachable NetClient, and its connections, when the GC runs
        NetClient client = vertx.createNetClient();
        NetSocket socket = client.connect(port, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Future<SmcConnectionInfo> info = SmcConnections.of(vertx).info(socket); // the kernel's word, off the event loop
        SmcConnectionInfo i = info.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println(i.mode() + " " + i.fallbackReasonName() + " " + i.note());
        // SMCD / SMCR when both ends got SMC; FALLBACK_TCP with the kernel's reason; TCP when SMC is unavailable
        // </readme>
        return new Run(vertx, server, client, socket, i);
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

    /**
     * The connection still echoes after a GC: the example holds its server and client. With the
     * client not held (`vertx.createNetClient().connect(...)`, the example before), the GC lets
     * Vert.x's cleaner close the client and this connection with it, and the echo never comes.
     */
    @Test
    void theExampleConnectionSurvivesAGc() throws Exception {
        Run run = runExample();
        try {
            System.gc();
            Thread.sleep(200); // the cleaner thread acts after the GC, not during it
            System.gc();
            Promise<String> echoed = Promise.promise();
            run.socket().closeHandler(x -> echoed.tryFail("the connection was closed"));
            run.socket().handler(b -> echoed.tryComplete(b.toString()));
            run.socket().write(Buffer.buffer("after gc"));
            assertThat(echoed.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo("after gc");
        } finally {
            run.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** The README (the repository root's) shows exactly the lines between the markers above. */
    @Test
    void theReadmeShowsTheseLines() throws Exception {
        List<String> source = Files.readAllLines(Path.of("src/test/java/io/smcvertx/vertx/examples/ReadmeExampleTest.java"));
        int from = source.indexOf("        // <readme>");
        int to = source.indexOf("        // </readme>");
        assertThat(from).as("the <readme> markers").isPositive().isLessThan(to);
        String snippet = String.join("\n", source.subList(from + 1, to).stream().map(l -> l.substring(Math.min(8, l.length()))).toList());
        assertThat(Files.readString(Path.of("../README.md"))).as("../README.md holds the example as compiled here")
                .contains("```java\n" + snippet + "\n```");
    }
}
