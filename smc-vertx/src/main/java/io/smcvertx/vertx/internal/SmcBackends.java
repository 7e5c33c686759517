package io.smcvertx.vertx.internal;

import io.smcvertx.transport.Smc;
import io.smcvertx.transport.SmcCapabilities;
import io.smcvertx.transport.SmcConfig;
import io.smcvertx.transport.diag.FallbackReason;
import io.smcvertx.transport.diag.SmcDiag;
import io.smcvertx.transport.diag.SmcSocketInfo;
import io.smcvertx.transport.netty.SmcChannels;
import io.smcvertx.transport.system.SeidState;
import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.SmcStats;
import io.smcvertx.vertx.SmcPolicy;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Binds the transport to smc-transport's SMC channels, smc_diag reader and kernel queries. */
public final class SmcBackends {

    private SmcBackends() {
    }

    public static ChannelSource channels(SmcPolicy policy) {
        return new SmcChannelSource(SmcChannels.epoll(SmcConfig.builder().mode(policy.mode()).build()));
    }

    /**
     * Lookups go to one shared {@link SmcDiag}: it batches concurrent lookups into one dump on its
     * own thread, so callers on event loops never wait on netlink.
     */
    public static DiagSource diag() {
        return new DiagSource() {
            private volatile SmcDiag reader;

            private SmcDiag reader() {
                SmcDiag r = reader;
                if (r == null) {
                    synchronized (this) {
                        if (reader == null) {
                            reader = SmcDiag.open();
                        }
                        r = reader;
                    }
                }
                return r;
            }

            @Override
            public CompletionStage<Optional<KernelView>> lookup(long inode) {
                return reader().lookup(inode).thenApply(found -> found.map(SmcBackends::view));
            }

            @Override
            public Optional<String> unavailabilityCause() {
                Throwable cause = Smc.unavailabilityCause();
                return cause == null ? Optional.empty() : Optional.of("smc_diag has nothing to report: " + cause.getMessage());
            }
        };
    }

    static DiagSource.KernelView view(SmcSocketInfo info) {
        FallbackReason reason = info.fallbackReason();
        FallbackReason peer = info.peerDiagnosis();
        return new DiagSource.KernelView(info.mode(), reason.code(), reason.isNone() ? "" : reason.name(),
                peer.code(), peer.isNone() ? "" : peer.name());
    }

    /** The probe's findings (cached once per JVM) and, on request, the kernel's counters over netlink. */
    public static KernelInfo kernel() {
        return new KernelInfo() {
            @Override
            public JsonObject features() {
                SmcCapabilities c = Smc.capabilities();
                JsonObject json = new JsonObject().put("kernelRelease", c.kernelRelease());
                put(json, "afSmc", c.afSmc());
                put(json, "ipprotoSmc", c.ipprotoSmc());
                put(json, "ismDevice", c.ismDevice());
                put(json, "loopbackIsm", c.loopbackIsm());
                put(json, "smcrDevice", c.smcrDevice());
                put(json, "ueid", c.ueid());
                return json.put("seid", seid(c));
            }

            @Override
            public Map<String, Long> stats() {
                try {
                    SmcStats s = SmcKernel.netlink().stats();
                    Map<String, Long> out = new LinkedHashMap<>();
                    s.smcd().forEach((k, v) -> out.put("smcd_" + k, v));
                    s.smcr().forEach((k, v) -> out.put("smcr_" + k, v));
                    out.put("client_handshake_errors", s.clientHandshakeErrors());
                    out.put("server_handshake_errors", s.serverHandshakeErrors());
                    return out;
                } catch (IOException | RuntimeException e) {
                    return Map.of();
                }
            }
        };
    }

    /**
     * The SEID as the kernel reports it (SMC_NETLINK_DUMP_SEID): derived from the machine on IBM Z,
     * none elsewhere. Never invented: when it cannot be read, the reason is shown instead.
     */
    static JsonObject seid(SmcCapabilities c) {
        if (!c.afSmcUsable() && !c.ipprotoSmcUsable()) {
            return new JsonObject().putNull("seid").put("enabled", false).put("note", "SMC unavailable");
        }
        try {
            SeidState s = SmcKernel.netlink().seid();
            JsonObject json = new JsonObject().put("seid", s.seid().orElse(null)).put("enabled", s.enabled());
            return s.seid().isPresent() ? json
                    : json.put("note", "the kernel reports no SEID (only IBM Z derives one from the machine)");
        } catch (IOException | RuntimeException e) {
            return new JsonObject().putNull("seid").put("enabled", false).put("note", "SEID unreadable: " + e.getMessage());
        }
    }

    private static void put(JsonObject json, String name, SmcCapabilities.Fact fact) {
        json.put(name, new JsonObject().put("state", fact.state().name()).put("evidence", fact.evidence()));
    }
}
