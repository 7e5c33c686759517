package io.smcvertx.vertx.node;

import io.smcvertx.cluster.TransparentStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A host's transparent SMC status as the admin endpoint shows it (inside the cluster config's status). */
final class TransparentJson {

    private TransparentJson() {
    }

    static JsonObject of(TransparentStatus t) {
        JsonObject j = new JsonObject()
                .put("patterns", new JsonArray(t.patterns()))
                .put("attached", t.attached())
                .put("selected", new JsonArray(t.selected()))
                .put("unmatched", new JsonArray(t.unmatched()))
                .put("attachment", t.attachment());
        t.refusal().ifPresent(r -> j.put("refusal", r));
        return j;
    }
}
