package io.smcvertx.cluster;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.smcvertx.transport.system.CgroupPattern;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.PnetId;
import io.smcvertx.transport.system.Ueid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The operators' file format: JSON, every field named, unknown fields refused (a typo must not
 * silently drop a setting). {@link #write} is canonical (fixed field order, sorted maps, no
 * optional field when empty), so the same configuration always gives the same bytes: that is
 * what is signed.
 *
 * <pre>{@code
 * {
 *   "revision": 7,
 *   "comment": "NET1 for the db hosts",
 *   "pnet": [ { "pnetId": "NET1", "ethName": "eth0", "hosts": { "labels": { "role": "db" } } },
 *             { "pnetId": "NET1", "deviceName": "mlx5_0", "devicePort": 1 } ],
 *   "ueids": [ "SMCVERTX-PROD", { "ueid": "LAB.1", "hosts": { "names": [ "lab1" ] } } ],
 *   "seidEnabled": true,
 *   "handshakeLimitation": false,
 *   "sysctls": { "net.smc.wmem": "262144" },
 *   "transparent": [ "/system.slice/nginx.service",
 *                    { "cgroup": "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod*.slice",
 *                      "hosts": { "labels": { "role": "k8s" } } } ]
 * }
 * }</pre>
 * {@code transparent} is written only when it has rules, so revisions signed before it existed keep
 * their canonical bytes.
 */
public final class FleetConfigJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> ROOT_FIELDS = Set.of("revision", "comment", "pnet", "ueids", "seidEnabled",
            "handshakeLimitation", "sysctls", "transparent");
    private static final Set<String> TRANSPARENT_FIELDS = Set.of("cgroup", "hosts");
    private static final Set<String> PNET_FIELDS = Set.of("pnetId", "ethName", "deviceName", "devicePort", "hosts");
    private static final Set<String> UEID_FIELDS = Set.of("ueid", "hosts");
    private static final Set<String> SELECTOR_FIELDS = Set.of("names", "labels");
    /** Bigger files are refused before parsing: nobody writes a PNET table of a megabyte. */
    public static final int MAX_DOCUMENT_BYTES = 1 << 20;

    private FleetConfigJson() {
    }

    /** Parses and validates; {@code revision} is required. */
    public static FleetConfig parse(String json) {
        return parse(json, 0);
    }

    /**
     * Parses and validates.
     *
     * @param revisionIfAbsent the revision to use when the document has none; 0 makes it required
     * @throws ConfigValidationException listing every error with its field
     */
    public static FleetConfig parse(String json, long revisionIfAbsent) {
        if (json.length() > MAX_DOCUMENT_BYTES) {
            throw new ConfigValidationException(List.of(new FieldError("$", "is larger than "
                    + MAX_DOCUMENT_BYTES + " bytes")));
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ConfigValidationException(List.of(new FieldError("$", "is not valid JSON" + where + ": "
                    + e.getOriginalMessage())));
        }
        return new Reader(revisionIfAbsent).read(root);
    }

    /** Canonical compact bytes: what is signed and stored. */
    public static byte[] canonical(FleetConfig config) {
        return write(config, false).getBytes(StandardCharsets.UTF_8);
    }

    /** Indented, for people; same field order as {@link #canonical}. */
    public static String pretty(FleetConfig config) {
        return write(config, true);
    }

    private static String write(FleetConfig c, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            g.writeStartObject();
            g.writeNumberField("revision", c.revision());
            if (!c.comment().isEmpty()) {
                g.writeStringField("comment", c.comment());
            }
            g.writeArrayFieldStart("pnet");
            for (PnetRule r : c.pnet()) {
                g.writeStartObject();
                g.writeStringField("pnetId", r.entry().pnetId().value());
                if (r.entry().ethName().isPresent()) {
                    g.writeStringField("ethName", r.entry().ethName().get());
                }
                if (r.entry().deviceName().isPresent()) {
                    g.writeStringField("deviceName", r.entry().deviceName().get());
                    g.writeNumberField("devicePort", r.entry().devicePort());
                }
                writeSelector(g, r.hosts());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("ueids");
            for (UeidRule r : c.ueids()) {
                writeSelected(g, "ueid", r.ueid().value(), r.hosts());
            }
            g.writeEndArray();
            if (c.seidEnabled().isPresent()) {
                g.writeBooleanField("seidEnabled", c.seidEnabled().get());
            }
            if (c.handshakeLimitation().isPresent()) {
                g.writeBooleanField("handshakeLimitation", c.handshakeLimitation().get());
            }
            g.writeObjectFieldStart("sysctls");
            for (Map.Entry<String, String> e : new TreeMap<>(c.sysctls()).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            if (!c.transparent().isEmpty()) {
                g.writeArrayFieldStart("transparent");
                for (TransparentRule r : c.transparent()) {
                    writeSelected(g, "cgroup", r.cgroup().value(), r.hosts());
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A value for every host as the bare value; for some hosts as {@code {field: value, hosts: ...}}. */
    private static void writeSelected(JsonGenerator g, String field, String value, HostSelector hosts)
            throws IOException {
        if (hosts.isAll()) {
            g.writeString(value);
        } else {
            g.writeStartObject();
            g.writeStringField(field, value);
            writeSelector(g, hosts);
            g.writeEndObject();
        }
    }

    private static void writeSelector(JsonGenerator g, HostSelector s) throws IOException {
        if (s.isAll()) {
            return;
        }
        g.writeObjectFieldStart("hosts");
        if (!s.names().isEmpty()) {
            g.writeArrayFieldStart("names");
            for (String n : new TreeSet<>(s.names())) {
                g.writeString(n);
            }
            g.writeEndArray();
        }
        if (!s.labels().isEmpty()) {
            g.writeObjectFieldStart("labels");
            for (Map.Entry<String, String> e : new TreeMap<>(s.labels()).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** Walks the tree once, collecting every error with its path instead of stopping at the first. */
    private static final class Reader {
        private final long revisionIfAbsent;
        private final List<FieldError> errors = new ArrayList<>();

        Reader(long revisionIfAbsent) {
            this.revisionIfAbsent = revisionIfAbsent;
        }

        FleetConfig read(JsonNode root) {
            if (root == null || root.isMissingNode()) {
                throw new ConfigValidationException(List.of(new FieldError("$", "is empty: expected a JSON object")));
            }
            if (!root.isObject()) {
                throw new ConfigValidationException(List.of(new FieldError("$", "must be a JSON object")));
            }
            unknownFields(root, "", ROOT_FIELDS);
            long revision = revisionIfAbsent;
            JsonNode rev = root.get("revision");
            if (rev == null) {
                if (revisionIfAbsent <= 0) {
                    error("revision", "is required");
                }
            } else if (!rev.isIntegralNumber() || !rev.canConvertToLong()) {
                error("revision", "must be a whole number, got " + rev);
            } else if (rev.asLong() < 1) {
                error("revision", "must be at least 1, got " + rev.asLong());
            } else {
                revision = rev.asLong();
            }
            String comment = "";
            JsonNode c = root.get("comment");
            if (c != null && !c.isNull()) {
                if (!c.isTextual()) {
                    error("comment", "must be a string");
                } else {
                    comment = c.asText();
                }
            }
            List<PnetRule> pnet = new ArrayList<>();
            JsonNode p = root.get("pnet");
            if (p != null && !p.isNull()) {
                if (!p.isArray()) {
                    error("pnet", "must be an array");
                } else {
                    for (int i = 0; i < p.size(); i++) {
                        PnetRule r = pnetRule(p.get(i), "pnet[" + i + "]");
                        if (r != null) {
                            pnet.add(r);
                        }
                    }
                }
            }
            List<UeidRule> ueids = new ArrayList<>();
            JsonNode u = root.get("ueids");
            if (u != null && !u.isNull()) {
                if (!u.isArray()) {
                    error("ueids", "must be an array");
                } else {
                    for (int i = 0; i < u.size(); i++) {
                        UeidRule r = ueidRule(u.get(i), "ueids[" + i + "]");
                        if (r != null) {
                            ueids.add(r);
                        }
                    }
                }
            }
            Optional<Boolean> seid = bool(root, "seidEnabled");
            Optional<Boolean> hs = bool(root, "handshakeLimitation");
            Map<String, String> sysctls = new TreeMap<>();
            JsonNode s = root.get("sysctls");
            if (s != null && !s.isNull()) {
                if (!s.isObject()) {
                    error("sysctls", "must be an object of name to value");
                } else {
                    for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext();) {
                        Map.Entry<String, JsonNode> e = it.next();
                        String field = "sysctls[\"" + e.getKey() + "\"]";
                        JsonNode v = e.getValue();
                        if (!v.isTextual() && !v.isIntegralNumber()) {
                            error(field, "must be a string or a whole number");
                            continue;
                        }
                        String err = FleetConfigValidator.checkSysctl(e.getKey(), v.asText());
                        if (err != null) {
                            error(field, err);
                        } else {
                            sysctls.put(e.getKey(), v.asText());
                        }
                    }
                }
            }
            List<TransparentRule> transparent = new ArrayList<>();
            JsonNode t = root.get("transparent");
            if (t != null && !t.isNull()) {
                if (!t.isArray()) {
                    error("transparent", "must be an array of cgroup patterns or objects with `cgroup` and `hosts`");
                } else {
                    for (int i = 0; i < t.size(); i++) {
                        TransparentRule r = transparentRule(t.get(i), "transparent[" + i + "]");
                        if (r != null) {
                            transparent.add(r);
                        }
                    }
                }
            }
            if (!errors.isEmpty()) {
                throw new ConfigValidationException(errors);
            }
            return new FleetConfig(revision, pnet, ueids, seid, hs, sysctls, comment, transparent);
        }

        private TransparentRule transparentRule(JsonNode n, String path) {
            Selected t = selected(n, path, "cgroup", TRANSPARENT_FIELDS,
                    "a cgroup pattern string or an object with `cgroup` and `hosts`");
            if (t == null) {
                return null;
            }
            String problem = CgroupPattern.check(t.value());
            if (problem != null) {
                error(t.valuePath(), problem);
                return null;
            }
            return new TransparentRule(new CgroupPattern(t.value()), t.hosts());
        }

        private PnetRule pnetRule(JsonNode n, String path) {
            if (!n.isObject()) {
                error(path, "must be an object with `pnetId` and `ethName` or `deviceName`");
                return null;
            }
            int before = errors.size();
            unknownFields(n, path + ".", PNET_FIELDS);
            PnetId id = null;
            String idText = text(n, path, "pnetId", true);
            if (idText != null) {
                try {
                    id = PnetId.of(idText);
                } catch (IllegalArgumentException e) {
                    error(path + ".pnetId", stripField(e.getMessage(), "pnetId"));
                }
            }
            String eth = text(n, path, "ethName", false);
            if (eth != null) {
                nameCheck(path + ".ethName", eth, PnetEntry.MAX_ETH_NAME);
            }
            String dev = text(n, path, "deviceName", false);
            if (dev != null) {
                nameCheck(path + ".deviceName", dev, PnetEntry.MAX_DEVICE_NAME);
            }
            int port = 0;
            JsonNode portNode = n.get("devicePort");
            if (portNode != null && !portNode.isNull()) {
                if (!portNode.isIntegralNumber()) {
                    error(path + ".devicePort", "must be 1 or 2, got " + portNode);
                } else if (dev == null && n.get("deviceName") == null) {
                    error(path + ".devicePort", "is given without `deviceName`");
                } else if (portNode.asInt() != 1 && portNode.asInt() != 2) {
                    error(path + ".devicePort", "must be 1 or 2, got " + portNode.asText());
                } else {
                    port = portNode.asInt();
                }
            }
            if (n.get("ethName") == null && n.get("deviceName") == null) {
                error(path, "needs `ethName` or `deviceName` (or both)");
            }
            HostSelector hosts = selector(n.get("hosts"), path + ".hosts");
            if (errors.size() != before) {
                return null;
            }
            try {
                return new PnetRule(new PnetEntry(id, Optional.ofNullable(eth), Optional.ofNullable(dev), port), hosts);
            } catch (IllegalArgumentException e) {
                error(path, e.getMessage());
                return null;
            }
        }

        private UeidRule ueidRule(JsonNode n, String path) {
            Selected u = selected(n, path, "ueid", UEID_FIELDS, "a UEID string or an object with `ueid` and `hosts`");
            if (u == null) {
                return null;
            }
            try {
                return new UeidRule(new Ueid(u.value()), u.hosts());
            } catch (IllegalArgumentException e) {
                error(u.valuePath(), stripField(e.getMessage(), "ueid"));
                return null;
            }
        }

        /** A value with the hosts it is for: the value alone (every host), or {@code {field: value, hosts: ...}}. */
        private record Selected(String value, String valuePath, HostSelector hosts) {
        }

        /** Reads a {@link Selected}; null (with the errors recorded) when it is not one. */
        private Selected selected(JsonNode n, String path, String field, Set<String> fields, String expected) {
            int before = errors.size();
            Selected out;
            if (n.isTextual()) {
                out = new Selected(n.asText(), path, HostSelector.ALL);
            } else if (n.isObject()) {
                unknownFields(n, path + ".", fields);
                String value = text(n, path, field, true);
                out = new Selected(value, path + "." + field, selector(n.get("hosts"), path + ".hosts"));
            } else {
                error(path, "must be " + expected);
                return null;
            }
            return out.value() == null || errors.size() != before ? null : out;
        }

        private HostSelector selector(JsonNode n, String path) {
            if (n == null || n.isNull()) {
                return HostSelector.ALL;
            }
            if (!n.isObject()) {
                error(path, "must be an object with `names` and/or `labels`");
                return HostSelector.ALL;
            }
            unknownFields(n, path + ".", SELECTOR_FIELDS);
            Set<String> names = new TreeSet<>();
            JsonNode ns = n.get("names");
            if (ns != null && !ns.isNull()) {
                if (!ns.isArray()) {
                    error(path + ".names", "must be an array of host names");
                } else {
                    for (int i = 0; i < ns.size(); i++) {
                        JsonNode e = ns.get(i);
                        String err = e.isTextual() ? HostSelector.checkHostName(e.asText()) : "must be a string";
                        if (err != null) {
                            error(path + ".names[" + i + "]", err);
                        } else {
                            names.add(e.asText());
                        }
                    }
                    if (ns.isEmpty()) {
                        error(path + ".names", "must not be empty (leave it out to select every host)");
                    }
                }
            }
            Map<String, String> labels = new TreeMap<>();
            JsonNode ls = n.get("labels");
            if (ls != null && !ls.isNull()) {
                if (!ls.isObject()) {
                    error(path + ".labels", "must be an object of label to value");
                } else {
                    for (Iterator<Map.Entry<String, JsonNode>> it = ls.fields(); it.hasNext();) {
                        Map.Entry<String, JsonNode> e = it.next();
                        String lp = path + ".labels[\"" + e.getKey() + "\"]";
                        String err = e.getValue().isTextual()
                                ? HostSelector.checkLabel(e.getKey(), e.getValue().asText()) : "must be a string";
                        if (err != null) {
                            error(lp, err);
                        } else {
                            labels.put(e.getKey(), e.getValue().asText());
                        }
                    }
                }
            }
            return new HostSelector(names, labels);
        }

        private Optional<Boolean> bool(JsonNode root, String field) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                return Optional.empty();
            }
            if (!n.isBoolean()) {
                error(field, "must be true or false, got " + n);
                return Optional.empty();
            }
            return Optional.of(n.asBoolean());
        }

        private String text(JsonNode obj, String path, String field, boolean required) {
            JsonNode n = obj.get(field);
            if (n == null || n.isNull()) {
                if (required) {
                    error(path + "." + field, "is required");
                }
                return null;
            }
            if (!n.isTextual()) {
                error(path + "." + field, "must be a string, got " + n);
                return null;
            }
            return n.asText();
        }

        /** Mirrors {@link PnetEntry}'s name rule, so the error carries the full path. */
        private void nameCheck(String path, String name, int max) {
            if (name.isEmpty()) {
                error(path, "must not be empty");
                return;
            }
            if (name.length() > max) {
                error(path, "must be at most " + max + " characters, got " + name.length() + " (\"" + name + "\")");
                return;
            }
            for (int i = 0; i < name.length(); i++) {
                char ch = name.charAt(i);
                if (ch <= ' ' || ch == '/' || ch > '~') {
                    error(path, "has an invalid character at position " + i + " in \"" + name + "\"");
                    return;
                }
            }
        }

        private void unknownFields(JsonNode obj, String prefix, Set<String> known) {
            for (Iterator<String> it = obj.fieldNames(); it.hasNext();) {
                String f = it.next();
                if (!known.contains(f)) {
                    error(prefix + f, "is not a known field (expected one of " + new TreeSet<>(known) + ")");
                }
            }
        }

        private void error(String field, String message) {
            errors.add(new FieldError(field, message));
        }

        /** The model's messages start with "`field` ..."; the path replaces that. */
        private static String stripField(String message, String field) {
            String prefix = "`" + field + "` ";
            return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        }
    }
}
