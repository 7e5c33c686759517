package io.smcvertx.vertx.node;

import io.smcvertx.transport.Smc;
import io.smcvertx.transport.SmcCapabilities;
import io.smcvertx.transport.system.SeidState;
import io.smcvertx.transport.system.SmcKernel;
import java.io.IOException;
import io.vertx.core.json.JsonObject;

/**
 * The kernel's SMC features and its SEID, as the admin endpoint shows them (the kernel's counters
 * are the metrics binder's). {@link #features()} blocks for a netlink round trip (the SEID): call
 * it off the event loop.
 */
interface KernelInfo {

    /** What the kernel offers (AF_SMC, IPPROTO_SMC, ISM, loopback-ISM, RoCE, UEID), with evidence, and its SEID. */
    JsonObject features();

    /** The probe's findings (cached once per JVM) and the SEID as the kernel reports it now. */
    static KernelInfo probe() {
        return () -> {
            SmcCapabilities c = Smc.capabilities();
            JsonObject json = new JsonObject().put("kernelRelease", c.kernelRelease());
            put(json, "afSmc", c.afSmc());
            put(json, "ipprotoSmc", c.ipprotoSmc());
            put(json, "ismDevice", c.ismDevice());
            put(json, "loopbackIsm", c.loopbackIsm());
            put(json, "smcrDevice", c.smcrDevice());
            put(json, "ueid", c.ueid());
            return json.put("seid", seid(c));
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
