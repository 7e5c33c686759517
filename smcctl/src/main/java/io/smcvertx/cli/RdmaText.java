package io.smcvertx.cli;

import io.smcvertx.transport.rdma.GidType;
import io.smcvertx.transport.rdma.RdmaDevice;
import io.smcvertx.transport.rdma.RdmaInventory;
import io.smcvertx.transport.rdma.RdmaPort;
import io.smcvertx.transport.system.SmcDevice;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** RDMA readiness per device and port, as {@code smcctl devices} prints it. */
final class RdmaText {

    private RdmaText() {
    }

    /**
     * The PNET ID of a port: the firmware's (IBM Z) where sysfs has it, else what the kernel's SMC-R
     * device reports (the software table), else none.
     */
    static String pnetId(RdmaDevice d, RdmaPort p, List<SmcDevice> smcr) {
        Optional<String> hw = d.hardwarePnetId(p.port());
        if (hw.isPresent()) {
            return hw.get() + " (hardware)";
        }
        return smcr.stream().filter(s -> s.name().equals(d.name())).flatMap(s -> s.ports().stream())
                .filter(sp -> sp.port() == p.port()).findFirst().flatMap(sp -> sp.pnetId()
                        .map(id -> id + (sp.pnetIdByUser() ? " (table)" : " (hardware)"))).orElse("none");
    }

    static void print(PrintWriter out, RdmaInventory inv, List<SmcDevice> smcr) {
        out.println();
        out.println("RDMA ports (sysfs; active MTU from libibverbs: " + inv.verbs().state() + ")");
        out.printf("%-12s %-7s %-9s %-8s %-14s %-6s %-18s %s%n", "Device/Port", "State", "Link", "Netdev", "GIDs v1/v2(IPv4)",
                "MTU", "PNET-ID", "SMC");
        for (RdmaDevice d : inv.devices()) {
            for (RdmaPort p : d.ports()) {
                out.printf("%-12s %-7s %-9s %-8s %-16s %-6s %-18s %s%n", d.name() + "/" + p.port(), p.state(), p.linkLayer(),
                        p.netdev().orElse("-"), count(p, GidType.ROCE_V1) + "/" + count(p, GidType.ROCE_V2) + "("
                                + p.gids().stream().filter(g -> g.type() == GidType.ROCE_V2 && g.ipv4Mapped()).count() + ")",
                        p.activeMtu().isPresent() ? Integer.toString(p.activeMtu().getAsInt()) : "?", pnetId(d, p, smcr),
                        p.smcMeaning());
            }
        }
        if (inv.devices().isEmpty()) {
            out.println("(no RDMA device in /sys/class/infiniband: SMC-R is impossible on this host)");
        }
        out.println("libibverbs: " + inv.verbs().evidence());
    }

    private static long count(RdmaPort p, GidType t) {
        return p.gids().stream().filter(g -> g.type() == t).count();
    }

    static Map<String, Object> json(RdmaInventory inv, List<SmcDevice> smcr) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verbs", inv.verbs().state().name());
        m.put("verbs_evidence", inv.verbs().evidence());
        m.put("ports", inv.devices().stream().flatMap(d -> d.ports().stream().map(p -> {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("device", d.name());
            pm.put("port", p.port());
            pm.put("state", p.state());
            pm.put("link_layer", p.linkLayer());
            pm.put("netdev", p.netdev());
            pm.put("gids", p.gids().stream().map(g -> {
                Map<String, Object> gm = new LinkedHashMap<>();
                gm.put("index", g.index());
                gm.put("gid", g.gid());
                gm.put("type", g.type().name());
                gm.put("netdev", g.netdev());
                return gm;
            }).toList());
            pm.put("active_mtu", p.activeMtu().isPresent() ? p.activeMtu().getAsInt() : null);
            pm.put("pnetid", pnetId(d, p, smcr));
            pm.put("smc_rv1", p.smcRv1());
            pm.put("smc_rv2", p.smcRv2());
            pm.put("smc", p.smcMeaning());
            return pm;
        })).toList());
        return m;
    }
}
