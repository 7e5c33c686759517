package io.smcvertx.vertx.internal;

import io.smcvertx.vertx.SmcPolicy;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Binds the transport to smc-transport's SMC channels and smc_diag reader.
 *
 * <p>TEMPORARY: smc-transport's channel factories (SmcChannels) and diag reader (SmcDiag) are
 * not merged yet, so this hands out plain epoll channels and says exactly that.
 */
public final class SmcBackends {

    private SmcBackends() {
    }

    public static ChannelSource channels(SmcPolicy policy) {
        return new PlainChannelSource(io.vertx.core.transport.Transport.EPOLL.implementation(),
                policy.mode() == io.smcvertx.transport.SmcMode.DISABLED
                        ? "disabled by policy"
                        : "smc-transport SMC channels not built into this version");
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
