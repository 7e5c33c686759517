package io.smcvertx.vertx.node;

import io.smcvertx.transport.doctor.DoctorReport;
import io.smcvertx.transport.doctor.Finding;
import io.smcvertx.transport.doctor.SmcDoctor;
import io.smcvertx.transport.rdma.RdmaDevice;
import io.smcvertx.transport.rdma.RdmaDevices;
import io.smcvertx.transport.rdma.RdmaInventory;
import io.smcvertx.transport.rdma.RdmaPort;
import io.smcvertx.transport.system.SmcKernel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * The operator's sections of {@code /status}: the doctor's findings and the RDMA readiness per
 * port. Every call reads the kernel (netlink, sysfs, maybe libibverbs), so it runs on a worker,
 * never on an event loop; a report younger than {@link #MAX_AGE} is reused, so scrapes and
 * status calls in a burst cost one examination.
 */
final class OperatorView {

    static final Duration MAX_AGE = Duration.ofSeconds(10);

    private final SmcDoctor doctor;
    private DoctorReport last;

    OperatorView(String host) {
        this.doctor = SmcDoctor.of(host, SmcKernel.netlink());
    }

    /** The newest report, examining the host again when the last one is older than {@link #MAX_AGE}. */
    synchronized DoctorReport report() {
        if (last == null || last.at().plus(MAX_AGE).isBefore(Instant.now())) {
            last = doctor.run();
        }
        return last;
    }

    JsonObject doctorJson() {
        DoctorReport r = report();
        JsonArray findings = new JsonArray();
        for (Finding f : r.findings()) {
            JsonObject o = new JsonObject().put("check", f.check()).put("status", f.status().name())
                    .put("subject", f.subject()).put("summary", f.summary()).put("evidence", f.evidence());
            f.fix().ifPresent(x -> o.put("fix", x));
            findings.add(o);
        }
        return new JsonObject().put("host", r.host()).put("at", r.at().toString()).put("worst", r.worst().name())
                .put("failed", r.failed()).put("summary", r.summary()).put("findings", findings);
    }

    static JsonObject rdmaJson() {
        RdmaInventory inv = RdmaDevices.inventory();
        JsonArray ports = new JsonArray();
        for (RdmaDevice d : inv.devices()) {
            for (RdmaPort p : d.ports()) {
                JsonArray gids = new JsonArray();
                p.gids().forEach(g -> gids.add(new JsonObject().put("index", g.index()).put("gid", g.gid())
                        .put("type", g.type().name()).put("netdev", g.netdev().orElse(null))));
                ports.add(new JsonObject().put("device", d.name()).put("port", p.port()).put("state", p.state())
                        .put("linkLayer", p.linkLayer()).put("netdev", p.netdev().orElse(null))
                        .put("activeMtu", p.activeMtu().isPresent() ? p.activeMtu().getAsInt() : null)
                        .put("hardwarePnetId", d.hardwarePnetId(p.port()).orElse(null))
                        .put("smcRv1", p.smcRv1()).put("smcRv2", p.smcRv2()).put("smc", p.smcMeaning()).put("gids", gids));
            }
        }
        return new JsonObject().put("verbs", inv.verbs().state().name()).put("verbsEvidence", inv.verbs().evidence())
                .put("ports", ports);
    }
}
