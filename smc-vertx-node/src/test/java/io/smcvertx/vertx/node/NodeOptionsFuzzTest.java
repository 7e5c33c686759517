package io.smcvertx.vertx.node;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.smcvertx.vertx.internal.HandlerBinder;
import io.smcvertx.vertx.internal.Handlers;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for the node's config file: what {@code smc-node --config} reads. Text that is not
 * a JSON object fails with Vert.x's {@link DecodeException} (the node says "is not JSON"); a JSON
 * object that is not a valid config fails with {@link IllegalArgumentException} naming the field
 * (the node says "config error"). Nothing else, ever. Seeds: {@code NodeOptionsFuzzTestInputs/} (the shipped examples, and
 * every crash found); {@code deploy/fuzz/run.sh} fuzzes.
 */
class NodeOptionsFuzzTest {

    private static final HandlerBinder HANDLERS = Handlers.binder();

    @FuzzTest(maxDuration = "10s")
    void nodeConfig(byte[] file) {
        JsonObject json;
        try {
            json = new JsonObject(new String(file, StandardCharsets.UTF_8));
        } catch (DecodeException declared) {
            return;
        }
        // the config file is the operator's, and naming a file to read is what admin.tokenFile is
        // for: a path it names, "../" or not, is no traversal. Jazzer's sanitizer flags its target
        // path (../jazzer-traversal) wherever it comes from; with no target (null) it flags none
        try (var operatorsPaths = BugDetectors.setFilePathTraversalTarget(() -> null)) {
            NodeOptions.fromJson(json, HANDLERS);
        } catch (IllegalArgumentException declared) {
            // names the bad field
        }
    }
}
