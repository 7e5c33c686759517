package io.smcvertx.cli;

import io.smcvertx.transport.diag.SmcDiag;
import io.smcvertx.transport.diag.SmcSocketInfo;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code smcctl ss}: SMC sockets from smc_diag, like {@code smcss}. */
@Command(name = "ss", mixinStandardHelpOptions = true, description = "List SMC sockets as the kernel reports them (smc_diag), with mode "
        + "(SMCD, SMCR, TCP) and decoded fallback reasons (like smcss).")
final class SsCommand implements Callable<Integer> {

    @ParentCommand
    SmcCtl root;

    @Option(names = {"-a", "--all"}, description = "Include listening sockets.")
    boolean all;

    @Option(names = {"-l", "--listening"}, description = "Only listening sockets.")
    boolean listening;

    @Option(names = {"-D", "--smcd"}, description = "Only SMC-D sockets.")
    boolean smcd;

    @Option(names = {"-R", "--smcr"}, description = "Only SMC-R sockets.")
    boolean smcr;

    @Option(names = "--json", description = "Print JSON (stable keys) instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<SmcSocketInfo> socks;
        try (SmcDiag diag = SmcDiag.open(Duration.ZERO, root.timeout())) {
            socks = diag.dump();
        }
        socks = socks.stream()
                .filter(s -> listening ? s.isListener() : all || !s.isListener())
                .filter(s -> !smcd || s.mode() == io.smcvertx.transport.diag.ConnectionMode.SMCD)
                .filter(s -> !smcr || s.mode() == io.smcvertx.transport.diag.ConnectionMode.SMCR)
                .toList();
        PrintWriter out = root.out();
        if (json) {
            out.println(Json.write(socks.stream().map(SsCommand::json).toList()));
            return ExitCodes.OK;
        }
        out.printf("%-10s %-8s %-16s %-28s %-28s %s%n", "Inode", "UID", "State", "Local Address", "Peer Address",
                "Intf Mode");
        for (SmcSocketInfo s : socks) {
            out.printf("%-10d %-8d %-16s %-28s %-28s %s%n", s.inode(), s.uid(), s.state(), addr(s.local()),
                    addr(s.peer()), mode(s));
        }
        return ExitCodes.OK;
    }

    /** smcss style: "SMCD", "SMCR", or "TCP 0x03030008/0x00000000" plus the names. */
    static String mode(SmcSocketInfo s) {
        return switch (s.mode()) {
            case SMCD -> "SMCD";
            case SMCR -> "SMCR" + s.smcr().map(l -> " " + l.ibDevice() + "/" + l.ibPort()).orElse("");
            case FALLBACK_TCP -> s.isListener() && s.fallbackReason().isNone() ? "-"
                    : "TCP " + s.fallbackReason().hex() + "/" + s.peerDiagnosis().hex() + " ("
                    + s.fallbackReason().name() + (s.peerDiagnosis().isNone() ? "" : ", peer " + s.peerDiagnosis().name())
                    + ")";
            // smc_diag reports only the three kernel modes
            case TCP, UNKNOWN -> s.mode().name();
        };
    }

    static String addr(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    static Map<String, Object> json(SmcSocketInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inode", s.inode());
        m.put("uid", s.uid());
        m.put("state", s.state());
        m.put("mode", s.mode().name());
        m.put("local", addr(s.local()));
        m.put("peer", addr(s.peer()));
        m.put("fallback_reason", reason(s.fallbackReason()));
        m.put("peer_diagnosis", reason(s.peerDiagnosis()));
        m.put("token", s.token());
        m.put("sndbuf", s.sndBufSize());
        m.put("rmbe", s.rmbeSize());
        m.put("peer_rmbe", s.peerRmbeSize());
        m.put("smcr", s.smcr().map(l -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("link_id", l.linkId());
            r.put("ib_device", l.ibDevice());
            r.put("ib_port", l.ibPort());
            r.put("gid", l.gid());
            r.put("peer_gid", l.peerGid());
            return r;
        }));
        m.put("smcd", s.smcd().map(d -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("gid", d.gidHex());
            r.put("peer_gid", d.peerGidHex());
            r.put("token", String.format("0x%x", d.token()));
            r.put("peer_token", String.format("0x%x", d.peerToken()));
            return r;
        }));
        return m;
    }

    static Map<String, Object> reason(io.smcvertx.transport.diag.FallbackReason r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", r.hex());
        m.put("name", r.name());
        m.put("description", r.description());
        return m;
    }
}
