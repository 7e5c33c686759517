package io.smcvertx.cli;

import io.smcvertx.transport.system.SmcFallbackStats;
import io.smcvertx.transport.system.SmcStats;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code smcctl stats}: like {@code smcd stats} / {@code smcr stats}. */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Show SMC-D and SMC-R counters and fallback reasons (like smcd/smcr stats). "
        + "'stats reset' explains why it cannot reset: the kernel offers no reset command.")
final class StatsCommand implements Callable<Integer> {

    static final String NO_RESET = "the kernel offers no way to reset SMC statistics (SMC_GEN_NETLINK has no reset "
            + "command; smc-tools' 'stats reset' only remembers a baseline in a file). Counters restart when the "
            + "smc module is reloaded. Compare two 'smcctl stats --json' snapshots instead.";

    @ParentCommand
    SmcCtl root;

    @Parameters(arity = "0..1", paramLabel = "reset", description = "'reset': explained, not supported by the kernel.")
    String action;

    @Option(names = "--json", description = "Print JSON (stable keys) instead of text.")
    boolean json;

    @Option(names = {"-a", "--all"}, description = "Also print zero counters and buffer-size histograms.")
    boolean all;

    @Override
    public Integer call() throws Exception {
        if (action != null) {
            if (!action.equals("reset")) {
                throw new IllegalArgumentException("`stats` takes no argument but 'reset', got '" + action + "'");
            }
            root.err().println("smcctl stats reset: " + NO_RESET);
            return ExitCodes.UNSUPPORTED;
        }
        SmcStats s = root.kernel().stats();
        SmcFallbackStats f = root.kernel().fallbackStats();
        PrintWriter out = root.out();
        if (json) {
            out.println(Json.write(json(s, f)));
            return ExitCodes.OK;
        }
        tech(out, "SMC-D", s.smcd());
        tech(out, "SMC-R", s.smcr());
        out.printf("Handshake errors: client %d, server %d%n", s.clientHandshakeErrors(), s.serverHandshakeErrors());
        out.printf("Fallbacks: server %d, client %d%n", f.serverFallbacks(), f.clientFallbacks());
        for (SmcFallbackStats.Row r : f.reasons()) {
            out.printf("  %-6s %6d  %s%n", r.server() ? "server" : "client", r.count(), r.reason());
        }
        return ExitCodes.OK;
    }

    private void tech(PrintWriter out, String name, Map<String, Long> counters) {
        out.println(name + ":");
        for (String k : List.of("clnt_v1_succ", "clnt_v2_succ", "srv_v1_succ", "srv_v2_succ", "rx_bytes", "tx_bytes",
                "rx_cnt", "tx_cnt")) {
            out.printf("  %-14s %d%n", k, counters.getOrDefault(k, 0L));
        }
        if (all) {
            counters.forEach((k, v) -> {
                if (k.contains(".") || !List.of("clnt_v1_succ", "clnt_v2_succ", "srv_v1_succ", "srv_v2_succ",
                        "rx_bytes", "tx_bytes", "rx_cnt", "tx_cnt").contains(k)) {
                    out.printf("  %-28s %d%n", k, v);
                }
            });
        }
    }

    static Map<String, Object> json(SmcStats s, SmcFallbackStats f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("smcd", s.smcd());
        m.put("smcr", s.smcr());
        m.put("client_handshake_errors", s.clientHandshakeErrors());
        m.put("server_handshake_errors", s.serverHandshakeErrors());
        Map<String, Object> fb = new LinkedHashMap<>();
        fb.put("server", f.serverFallbacks());
        fb.put("client", f.clientFallbacks());
        fb.put("reasons", f.reasons().stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("side", r.server() ? "server" : "client");
            row.put("code", r.reason().hex());
            row.put("name", r.reason().name());
            row.put("description", r.reason().description());
            row.put("count", r.count());
            return row;
        }).toList());
        m.put("fallbacks", fb);
        return m;
    }
}
