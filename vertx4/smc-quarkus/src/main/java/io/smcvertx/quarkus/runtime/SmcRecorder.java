package io.smcvertx.quarkus.runtime;

import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.annotations.Recorder;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.SmcMode;
import io.smcvertx.vertx4.SmcVertx4Transport;
import io.vertx.core.VertxOptions;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * At start, before Vert.x is created: validates {@code quarkus.smc.*}, builds the SMC transport
 * and installs it, and hands Quarkus the options change that makes Vert.x load it (Vert.x 4.5
 * looks up {@code io.vertx.core.spi.transport.Transport} services only when {@code
 * preferNativeTransport} is set; Quarkus never sets a transport itself).
 */
@Recorder
public class SmcRecorder {

    private static final Logger LOG = Logger.getLogger("io.smcvertx.quarkus");

    private final RuntimeValue<SmcQuarkusConfig> config;

    /** Quarkus passes the run time configuration. */
    public SmcRecorder(RuntimeValue<SmcQuarkusConfig> config) {
        this.config = config;
    }

    /** The Vert.x options change; installs the transport first when {@code quarkus.smc.enabled}. */
    public Consumer<VertxOptions> installTransport() {
        SmcQuarkusConfig c = config.getValue();
        if (!c.enabled()) {
            LOG.debug("SMC for Vert.x is off (quarkus.smc.enabled=false)");
            return options -> { };
        }
        SmcPolicy policy = PolicyFromConfig.policy(c.mode(), c.listenerRules(), c.destinationRules());
        SmcVertx4Transport transport = SmcVertx4Transport.create(policy);
        if (policy.mode() == SmcMode.REQUIRED && !transport.smcAvailable()) {
            throw new IllegalStateException("quarkus.smc.mode=required, but this host cannot make SMC sockets: "
                    + transport.smcUnavailabilityCause().orElse("unknown"));
        }
        SmcQuarkus.install(transport);
        LOG.infof("SMC for Vert.x: mode %s, %s; %s", policy.mode(),
                transport.smcAvailable() ? "SMC sockets (TCP fallback per connection)"
                        : "plain TCP [" + transport.smcUnavailabilityCause().orElse("?") + "]",
                transport.smc().transportReason());
        return options -> options.setPreferNativeTransport(true);
    }
}
