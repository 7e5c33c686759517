package io.smcvertx.vertx.node;

import static io.smcvertx.vertx.internal.JsonFields.array;
import static io.smcvertx.vertx.internal.JsonFields.bool;
import static io.smcvertx.vertx.internal.JsonFields.error;
import static io.smcvertx.vertx.internal.JsonFields.integer;
import static io.smcvertx.vertx.internal.JsonFields.object;
import static io.smcvertx.vertx.internal.JsonFields.onlyKnown;
import static io.smcvertx.vertx.internal.JsonFields.string;

import io.smcvertx.cluster.HostIdentity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The node's {@code clusterConfig} section: whether this node takes part in the fleet's SMC
 * configuration (a store on the node's Hazelcast member and a reconciler of this host's kernel).
 *
 * @param enabled        whether to run the store and the reconciler (needs {@code hazelcast.enabled})
 * @param host           this host's identity for the config's host selectors: name and labels
 * @param trustedKeys    operator public key files; revisions signed by anyone else are refused
 * @param stateFile      write-through copy of the last accepted revision, if any (a restart of
 *                       the whole cluster restores it); the applied revision goes next to it
 * @param recheckSeconds how often the kernel is re-checked for drift
 */
public record ClusterConfigSettings(boolean enabled, HostIdentity host, List<Path> trustedKeys,
        Optional<Path> stateFile, int recheckSeconds) {

    private static final Set<String> FIELDS = Set.of("enabled", "host", "labels", "trustedKeys", "stateFile",
            "recheckSeconds");
    private static final String P = "clusterConfig";

    /** Off: what a config without the section gets. */
    public static final ClusterConfigSettings DISABLED = new ClusterConfigSettings(false, HostIdentity.of("localhost"),
            List.of(), Optional.empty(), 30);

    public ClusterConfigSettings {
        trustedKeys = List.copyOf(trustedKeys);
    }

    /** Reads and checks the section ({@code null}: absent, so disabled); errors name the field. */
    static ClusterConfigSettings fromJson(JsonObject json) {
        if (json == null) {
            return DISABLED;
        }
        onlyKnown(json, P, FIELDS);
        boolean enabled = bool(json, P, "enabled", true);
        String name = json.getValue("host") == null ? kernelHostName() : string(json, P, "host", null);
        Map<String, String> labels = new LinkedHashMap<>();
        JsonObject ls = object(json, P, "labels", false);
        if (ls != null) {
            for (String k : ls.fieldNames()) {
                if (!(ls.getValue(k) instanceof String v)) {
                    throw error(P + ".labels." + k, "must be a string, got: " + ls.getValue(k));
                }
                labels.put(k, v);
            }
        }
        HostIdentity host;
        try {
            host = new HostIdentity(name, Map.of());
        } catch (IllegalArgumentException e) {
            throw error(P + ".host", e.getMessage().replaceFirst("^`name` ", ""));
        }
        try {
            host = new HostIdentity(name, labels);
        } catch (IllegalArgumentException e) {
            throw error(P + ".labels", e.getMessage().replaceFirst("^`labels` ", ""));
        }
        JsonArray keys = array(json, P, "trustedKeys");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (!(keys.getValue(i) instanceof String s) || s.isBlank()) {
                throw error(P + ".trustedKeys[" + i + "]", "must be a public key file name, got: " + keys.getValue(i));
            }
            files.add(Path.of(s));
        }
        if (enabled && files.isEmpty()) {
            throw error(P + ".trustedKeys", "must name at least one operator public key file "
                    + "(smcctl cluster keygen writes one): a member that trusts no key refuses every revision");
        }
        Optional<Path> state = json.getValue("stateFile") == null ? Optional.empty()
                : Optional.of(Path.of(string(json, P, "stateFile", null)));
        int recheck = integer(json, P, "recheckSeconds", 1, 86_400, 30);
        return new ClusterConfigSettings(enabled, host, files, state, recheck);
    }

    /** The kernel's host name (no DNS lookup, which could block or lie). */
    private static String kernelHostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw error(P + ".host", "must be set: the kernel's host name is unreadable (" + e.getMessage() + ")");
        }
    }
}
