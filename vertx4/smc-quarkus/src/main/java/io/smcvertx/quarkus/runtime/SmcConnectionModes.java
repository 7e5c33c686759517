package io.smcvertx.quarkus.runtime;

import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.vertx4.SmcConnections4;
import io.smcvertx.vertx4.SmcVertx4Transport;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Injectable: what the kernel made of a request's connection (SMC-D, SMC-R, TCP, fallback and
 * its reason), by smc_diag, looked up off the event loop. Inject it into a resource and ask with
 * the Vert.x request ({@code @Context HttpServerRequest}).
 */
@Singleton
public class SmcConnectionModes {

    /** The connection mode of the connection this request came on. */
    public CompletionStage<SmcConnectionInfo> of(HttpServerRequest request) {
        return of(request.connection());
    }

    /** The connection mode of an HTTP connection of this application's Vert.x. */
    public CompletionStage<SmcConnectionInfo> of(HttpConnection connection) {
        return view().map(v -> v.info(connection)).orElseGet(SmcConnectionModes::off);
    }

    /** The connection mode of a Net socket of this application's Vert.x. */
    public CompletionStage<SmcConnectionInfo> of(NetSocket socket) {
        return view().map(v -> v.info(socket)).orElseGet(SmcConnectionModes::off);
    }

    /** Whether Vert.x's TCP sockets are SMC sockets. */
    public boolean smcAvailable() {
        return SmcQuarkus.transport().map(SmcVertx4Transport::smcAvailable).orElse(false);
    }

    /** Why they are plain TCP, when they are (also when SMC is switched off). */
    public Optional<String> smcUnavailabilityCause() {
        return SmcQuarkus.transport().map(t -> t.smcUnavailabilityCause()).orElse(Optional.of("quarkus.smc.enabled=false"));
    }

    /** Open connections by mode, as last classified. */
    public Map<ConnectionMode, Long> openByMode() {
        return SmcQuarkus.transport().map(t -> t.smc().tracker().openByMode()).orElse(Map.of());
    }

    private static Optional<SmcConnections4> view() {
        return SmcQuarkus.transport().map(t -> new SmcConnections4(t.smc().tracker()));
    }

    private static CompletionStage<SmcConnectionInfo> off() {
        return CompletableFuture.failedFuture(new IllegalStateException("SMC is off: quarkus.smc.enabled=false"));
    }
}
