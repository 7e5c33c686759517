package io.smcvertx.vertx.internal;

import io.smcvertx.vertx.SmcPolicy;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Binds the transport to smc-transport's SMC channels and smc_diag reader.
 *
 * <p>TEMPORARY: smc-transport's diag reader (SmcDiag) and kernel stats are not merged yet; until
 * they are, lookups fail with exactly that said.
 */
public final class SmcBackends {

    private SmcBackends() {
    }

    public static ChannelSource channels(SmcPolicy policy) {
        return new SmcChannelSource(io.smcvertx.transport.netty.SmcChannels.epoll(
                io.smcvertx.transport.SmcConfig.builder().mode(policy.mode()).build()));
    }

    public static DiagSource diag() {
        return new DiagSource() {
            @Override
            public CompletionStage<Optional<KernelView>> lookup(long inode) {
                return CompletableFuture.failedFuture(new UnsupportedOperationException("smc_diag reader not built into this version"));
            }

            @Override
            public Optional<String> unavailabilityCause() {
                return Optional.of("smc_diag reader not built into this version");
            }
        };
    }

    public static KernelInfo kernel() {
        return new KernelInfo() {
            @Override
            public io.vertx.core.json.JsonObject features() {
                return new io.vertx.core.json.JsonObject().put("probe", "smc-transport probe not built into this version");
            }

            @Override
            public java.util.Map<String, Long> stats() {
                return java.util.Map.of();
            }
        };
    }
}
