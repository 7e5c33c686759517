package io.smcvertx.vertx.node;

import io.smcvertx.transport.Smc;
import io.smcvertx.transport.SmcCapabilities;
import io.vertx.core.json.JsonObject;

/** The kernel's SMC features, as the admin endpoint shows them (the kernel's counters are the metrics binder's). */
interface KernelInfo {

    /** What the kernel offers (AF_SMC, IPPROTO_SMC, ISM, loopback-ISM, RoCE, UEID), with evidence. */
    JsonObject features();

    /** The probe's findings, cached once per JVM. */
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
            return json;
        };
    }

    private static void put(JsonObject json, String name, SmcCapabilities.Fact fact) {
        json.put(name, new JsonObject().put("state", fact.state().name()).put("evidence", fact.evidence()));
    }
}
