package io.smcvertx.vertx.lab;

import io.smcvertx.transport.Smc;
import io.smcvertx.transport.system.SmcKernel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** What the lab ITs of this module share: the IT contract, waiting, test resources. */
public final class Lab {

    /** The guest is emulated (TCG): a first TLS handshake alone takes 20-30 s. */
    public static final long TIMEOUT_SECONDS = 180;

    private Lab() {
    }

    /** The IT contract (TEAM.md): in the lab (smcvertx.lab=true) a missing SMC fails, elsewhere it skips. */
    public static void requireSmc() {
        if (!Smc.isAvailable()) {
            String missing = "needs kernel SMC: " + Smc.unavailabilityCause().getMessage();
            if (Boolean.getBoolean("smcvertx.lab")) {
                Assertions.fail(missing);
            }
            Assumptions.abort(missing);
        }
    }

    /** Waits for a Vert.x future from a test thread (never an event loop). */
    public static <T> T join(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** A test resource of any module on the class path (the lab stages every module's test-classes). */
    public static Path resource(String name) {
        URL url = Lab.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " is not on the class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code sent} and returns as many bytes as came back (an echo's answer). */
    public static Buffer echo(NetSocket socket, Buffer sent) throws Exception {
        Promise<Buffer> back = Promise.promise();
        Buffer got = Buffer.buffer();
        socket.handler(b -> {
            got.appendBuffer(b);
            if (got.length() >= sent.length()) {
                back.tryComplete(got);
            }
        });
        socket.closeHandler(v -> back.tryFail("closed after " + got.length() + " of " + sent.length() + " bytes"));
        // a failed write closes the channel too: its cause goes to the write's future, not the close handler
        socket.write(sent).onFailure(e -> back.tryFail(new IllegalStateException("write of " + sent.length() + " bytes failed: " + e, e)));
        return join(back.future());
    }

    /**
     * Runs one smcctl command in this JVM. smcctl and smc-vertx are sibling modules (neither
     * depends on the other), so the lab class path reaches it by name, not at compile time.
     */
    static String smcctl(String... args) throws Exception {
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text, true);
        Class<?> ctl = Class.forName("io.smcvertx.cli.SmcCtl");
        Object cl = ctl.getMethod("commandLine", Supplier.class, PrintWriter.class, PrintWriter.class)
                .invoke(null, (Supplier<SmcKernel>) SmcKernel::netlink, w, w);
        Method execute = cl.getClass().getMethod("execute", String[].class);
        int rc = (int) execute.invoke(cl, (Object) args);
        w.flush();
        return text + "[exit " + rc + "]\n";
    }
}
