package io.smcvertx.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smcvertx.cluster.HostStatus;
import io.smcvertx.cluster.TransparentStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Host status as JSON text: the status map holds strings, so a member of another version (or
 * the CLI, as a client) reads it without sharing classes with the writer.
 */
public final class HostStatusJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private HostStatusJson() {
    }

    public static String write(HostStatus s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("host", s.host());
        n.put("appliedRevision", s.appliedRevision());
        n.put("desiredRevision", s.desiredRevision());
        n.put("state", s.state().name());
        n.put("kernelSmc", s.kernelSmc());
        s.kernelSmcCause().ifPresent(v -> n.put("kernelSmcCause", v));
        s.readOnly().ifPresent(v -> n.put("readOnly", v));
        s.seid().ifPresent(v -> n.put("seid", v));
        n.put("seidEnabled", s.seidEnabled());
        ArrayNode d = n.putArray("drift");
        s.drift().forEach(d::add);
        s.lastError().ifPresent(v -> n.put("lastError", v));
        s.rejected().ifPresent(v -> n.put("rejected", v));
        ArrayNode notes = n.putArray("notes");
        s.notes().forEach(notes::add);
        n.put("updatedAt", s.updatedAt().toString());
        s.transparent().ifPresent(t -> {
            ObjectNode tn = n.putObject("transparent");
            t.patterns().forEach(tn.putArray("patterns")::add);
            tn.put("attached", t.attached());
            t.selected().forEach(tn.putArray("selected")::add);
            t.unmatched().forEach(tn.putArray("unmatched")::add);
            t.refusal().ifPresent(r -> tn.put("refusal", r));
            tn.put("attachment", t.attachment());
        });
        try {
            return MAPPER.writeValueAsString(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses; a malformed entry (another writer) fails with IllegalArgumentException. */
    public static HostStatus read(String json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            return new HostStatus(n.path("host").asText(), n.path("appliedRevision").asLong(),
                    n.path("desiredRevision").asLong(), n.path("kernelSmc").asBoolean(),
                    opt(n, "kernelSmcCause"), opt(n, "readOnly"), opt(n, "seid"), n.path("seidEnabled").asBoolean(),
                    list(n, "drift"), opt(n, "lastError"), opt(n, "rejected"), list(n, "notes"),
                    Instant.parse(n.path("updatedAt").asText()), transparent(n.get("transparent")));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("host status is not readable: " + e.getMessage(), e);
        }
    }

    private static Optional<TransparentStatus> transparent(JsonNode t) {
        if (t == null || t.isNull()) {
            return Optional.empty();
        }
        return Optional.of(new TransparentStatus(list(t, "patterns"), t.path("attached").asBoolean(),
                list(t, "selected"), list(t, "unmatched"), opt(t, "refusal"), t.path("attachment").asText()));
    }

    private static Optional<String> opt(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private static List<String> list(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        n.path(field).forEach(e -> out.add(e.asText()));
        return out;
    }
}
