package io.smcvertx.quarkus.runtime;

import io.smcvertx.transport.SmcMode;
import io.smcvertx.vertx4.SmcVertx4Transport;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check "SMC" (registered when quarkus-smallrye-health is present): whether the
 * application's Vert.x speaks SMC, and if not, why. Up with TCP fallback; down only when the
 * mode is {@code required} and the sockets cannot be SMC.
 */
@Readiness
@ApplicationScoped
public class SmcHealthCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("SMC");
        Optional<SmcVertx4Transport> t = SmcQuarkus.transport();
        if (t.isEmpty()) {
            return b.up().withData("enabled", false).build();
        }
        SmcVertx4Transport transport = t.get();
        boolean available = transport.smcAvailable();
        SmcMode mode = transport.smc().policy().mode();
        b.withData("enabled", true).withData("available", available).withData("mode", mode.name())
                .withData("transport", transport.smc().transportReason());
        transport.smcUnavailabilityCause().ifPresent(cause -> b.withData("cause", cause));
        return b.status(available || mode != SmcMode.REQUIRED).build();
    }
}
