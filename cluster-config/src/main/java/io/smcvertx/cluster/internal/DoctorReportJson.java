package io.smcvertx.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smcvertx.transport.doctor.DoctorReport;
import io.smcvertx.transport.doctor.Finding;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Doctor reports as JSON text in the doctor map, so a member or CLI of another version reads
 * them without sharing classes with the writer (as {@link HostStatusJson} does for status).
 */
public final class DoctorReportJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private DoctorReportJson() {
    }

    public static String write(DoctorReport r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("host", r.host());
        n.put("kernelRelease", r.kernelRelease());
        n.put("at", r.at().toString());
        ArrayNode fs = n.putArray("findings");
        for (Finding f : r.findings()) {
            ObjectNode o = fs.addObject();
            o.put("check", f.check());
            o.put("status", f.status().name());
            o.put("subject", f.subject());
            o.put("summary", f.summary());
            o.put("evidence", f.evidence());
            f.fix().ifPresent(v -> o.put("fix", v));
        }
        try {
            return MAPPER.writeValueAsString(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses; a malformed entry fails with IllegalArgumentException naming what is wrong. */
    public static DoctorReport read(String json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            List<Finding> findings = new ArrayList<>();
            for (JsonNode f : n.path("findings")) {
                JsonNode fix = f.get("fix");
                findings.add(new Finding(f.path("check").asText(), Finding.Status.valueOf(f.path("status").asText()),
                        f.path("subject").asText(), f.path("summary").asText(), f.path("evidence").asText(),
                        fix == null || fix.isNull() ? Optional.empty() : Optional.of(fix.asText())));
            }
            return new DoctorReport(n.path("host").asText(), n.path("kernelRelease").asText(),
                    Instant.parse(n.path("at").asText()), findings);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("doctor report is not readable: " + e.getMessage(), e);
        }
    }
}
