package io.smcvertx.vertx.internal;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** The kernel's SMC features and statistics, as the admin endpoint shows them. Calls block (netlink). */
public interface KernelInfo {

    /** What the kernel offers (AF_SMC, IPPROTO_SMC, ISM, loopback-ISM, RoCE, UEID), with evidence, and its SEID. */
    JsonObject features();

    /** The kernel's SMC counters by name; empty when they cannot be read (the reason is in {@link #features()}). */
    Map<String, Long> stats();
}
