package io.smcvertx.quarkus.runtime;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.smcvertx.micrometer.SmcMeterBinder;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The connection counters (open/classified by mode, fallbacks by reason) as Micrometer meters,
 * through the framework-neutral binder of smc-micrometer; quarkus-micrometer binds every {@code
 * MeterBinder} bean (registered when quarkus-micrometer is present).
 */
@Singleton
public class SmcMetrics {

    /** The binder over the installed transport's tracker; binds nothing when SMC is off. */
    @Produces
    @Singleton
    MeterBinder smcMeterBinder() {
        return SmcQuarkus.transport().<MeterBinder>map(t -> new SmcMeterBinder(t.smc().tracker()))
                .orElse(registry -> { });
    }
}
