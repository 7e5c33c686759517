package io.smcvertx.cli;

import io.smcvertx.transport.system.SmcLinkGroupV2;
import io.smcvertx.transport.system.SmcdLinkGroup;
import io.smcvertx.transport.system.SmcrLink;
import io.smcvertx.transport.system.SmcrLinkGroup;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code smcctl linkgroups}: like {@code smcd linkgroup} / {@code smcr linkgroup}. */
@Command(name = "linkgroups", mixinStandardHelpOptions = true, description = "List SMC-D and SMC-R link groups, with SMC-R links "
        + "(like smcd/smcr linkgroup). CHID 0xFFFF marks loopback-ISM.")
final class LinkGroupsCommand implements Callable<Integer> {

    @ParentCommand
    SmcCtl root;

    @Option(names = {"-t", "--type"}, paramLabel = "smcd|smcr", description = "Only this kind.")
    String type;

    @Option(names = "--json", description = "Print JSON (stable keys) instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (type != null && !type.equalsIgnoreCase("smcd") && !type.equalsIgnoreCase("smcr")) {
            throw new IllegalArgumentException("`--type` must be smcd or smcr, got '" + type + "'");
        }
        List<SmcdLinkGroup> d = type == null || type.equalsIgnoreCase("smcd") ? root.kernel().smcdLinkGroups() : List.of();
        List<SmcrLinkGroup> r = type == null || type.equalsIgnoreCase("smcr") ? root.kernel().smcrLinkGroups() : List.of();
        PrintWriter out = root.out();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("smcd", d.stream().map(LinkGroupsCommand::json).toList());
            m.put("smcr", r.stream().map(LinkGroupsCommand::json).toList());
            out.println(Json.write(m));
            return ExitCodes.OK;
        }
        out.printf("%-5s %-10s %-6s %-6s %-16s %-32s %s%n", "Type", "LG-ID", "Conns", "CHID", "PNET-ID", "EID", "Peer");
        for (SmcdLinkGroup g : d) {
            out.printf("%-5s %08x   %-6d %-6s %-16s %-32s %s%n", "SMCD", g.id(), g.connections(),
                    String.format("%04X", g.chid()) + (g.isLoopback() ? "*" : ""), g.pnetId().orElse("n/a"),
                    g.v2().map(SmcLinkGroupV2::negotiatedEid).orElse("-"), g.v2().map(SmcLinkGroupV2::peerHost).orElse("-"));
        }
        for (SmcrLinkGroup g : r) {
            out.printf("%-5s %08x   %-6d %-6s %-16s %-32s %s (%s)%n", "SMCR", g.id(), g.connections(), "-",
                    g.pnetId().orElse("n/a"), g.v2().map(SmcLinkGroupV2::negotiatedEid).orElse("-"),
                    g.v2().map(SmcLinkGroupV2::peerHost).orElse("-"), g.role());
            for (SmcrLink l : g.links()) {
                out.printf("      link %d %s/%d gid %s peer %s conns %d state %d%n", l.id(), l.ibDevice(), l.ibPort(),
                        l.gid(), l.peerGid(), l.connections(), l.state());
            }
        }
        if (!d.isEmpty()) {
            out.println("(* = loopback-ISM)");
        }
        return ExitCodes.OK;
    }

    private static Object v2(Optional<SmcLinkGroupV2> v2) {
        return v2.map(v -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", v.version());
            m.put("release", v.release());
            m.put("peer_os", v.peerOs());
            m.put("negotiated_eid", v.negotiatedEid());
            m.put("peer_host", v.peerHost());
            return m;
        }).orElse(null);
    }

    static Map<String, Object> json(SmcdLinkGroup g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("gid", String.format("%016x%016x", g.gid(), g.gidExt()));
        m.put("peer_gid", String.format("%016x%016x", g.peerGid(), g.peerGidExt()));
        m.put("vlan_id", g.vlanId());
        m.put("connections", g.connections());
        m.put("pnetid", g.pnetId());
        m.put("chid", g.chid());
        m.put("loopback", g.isLoopback());
        m.put("v2", v2(g.v2()));
        return m;
    }

    static Map<String, Object> json(SmcrLinkGroup g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("role", g.role());
        m.put("type", g.type());
        m.put("pnetid", g.pnetId());
        m.put("vlan_id", g.vlanId());
        m.put("connections", g.connections());
        m.put("v2", v2(g.v2()));
        m.put("links", g.links().stream().map(l -> {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("id", l.id());
            lm.put("ib_device", l.ibDevice());
            lm.put("ib_port", l.ibPort());
            lm.put("gid", l.gid());
            lm.put("peer_gid", l.peerGid());
            lm.put("connections", l.connections());
            lm.put("netdev_ifindex", l.netdevIfindex());
            lm.put("state", l.state());
            return lm;
        }).toList());
        return m;
    }
}
