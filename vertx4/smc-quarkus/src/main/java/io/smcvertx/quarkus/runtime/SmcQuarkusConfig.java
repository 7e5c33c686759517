package io.smcvertx.quarkus.runtime;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** SMC for the application's Vert.x: {@code quarkus.smc.*}, read when the application starts. */
@ConfigMapping(prefix = "quarkus.smc")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface SmcQuarkusConfig {

    /**
     * Put every Vert.x TCP connection of the application (HTTP server, REST client, Vert.x HTTP
     * and Net clients) on SMC sockets, falling back to TCP where the kernel or the peer has no SMC.
     */
    @WithDefault("false")
    boolean enabled();

    /**
     * {@code preferred} (SMC where possible, TCP otherwise), {@code required} (connections that
     * stay on TCP are closed; no SMC in the kernel fails the start) or {@code disabled} (plain TCP).
     */
    @WithDefault("preferred")
    String mode();

    /**
     * Per-listener rules, first match wins: {@code HOST:PORT=SMC|TCP}, HOST an IP literal (IPv6
     * in brackets) or {@code *}, PORT 0 for any, e.g. {@code *:9000=TCP}.
     */
    Optional<List<String>> listenerRules();

    /**
     * Per-destination rules for client connections, first match wins: {@code CIDR[:PORT]=SMC|TCP}
     * (IPv6 with a port in brackets), e.g. {@code 10.0.0.0/8=TCP}, {@code [fd00::/8]:443=TCP}.
     */
    Optional<List<String>> destinationRules();
}
