package io.smcvertx.quarkus.runtime;

import io.smcvertx.vertx4.SmcVertx4Transport;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one SMC transport of this application, installed at start by {@link SmcRecorder} before
 * Vert.x exists, then found by Vert.x through {@link SmcServiceTransport} and by the beans. It
 * lives in the extension's runtime jar, which Quarkus loads once per JVM, so a dev-mode reload
 * (which keeps Vert.x) still finds the transport Vert.x runs on.
 */
public final class SmcQuarkus {

    private static final AtomicReference<SmcVertx4Transport> TRANSPORT = new AtomicReference<>();

    private SmcQuarkus() {
    }

    static void install(SmcVertx4Transport transport) {
        TRANSPORT.set(transport);
    }

    /** The installed transport; empty when {@code quarkus.smc.enabled} is false. */
    public static Optional<SmcVertx4Transport> transport() {
        return Optional.ofNullable(TRANSPORT.get());
    }
}
