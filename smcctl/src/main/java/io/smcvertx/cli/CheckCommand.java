package io.smcvertx.cli;

import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.diag.FallbackReason;
import io.smcvertx.transport.diag.SmcConnectCheck;
import io.smcvertx.transport.diag.SmcSocketInfo;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code smcctl check HOST:PORT}: like {@code smc_chk}. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Connect to HOST:PORT over AF_SMC and report the mode the kernel chose "
        + "(SMCD, SMCR or TCP fallback) and, on fallback, why and what to change (like smc_chk). "
        + "Exit 0 for SMC, 10 for fallback, 11 when no connection could be made.")
final class CheckCommand implements Callable<Integer> {

    @ParentCommand
    SmcCtl root;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "e.g. 127.0.0.1:8080 or [::1]:8080")
    String target;

    @Option(names = "--json", description = "Print JSON (stable keys) instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        InetSocketAddress addr = parse(target);
        SmcSocketInfo s;
        try {
            s = SmcConnectCheck.check(addr, root.timeout());
        } catch (SmcNativeException e) {
            if (e.syscall().startsWith("connect") || e.syscall().startsWith("setsockopt")) {
                root.err().println("smcctl check " + target + ": could not connect: " + e.getMessage());
                return ExitCodes.CHECK_CONNECT_FAILED;
            }
            throw e;
        }
        PrintWriter out = root.out();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", SsCommand.addr(addr));
            m.put("mode", s.mode().name());
            m.put("smc", s.isSmc());
            m.put("fallback_reason", SsCommand.reason(s.fallbackReason()));
            m.put("peer_diagnosis", SsCommand.reason(s.peerDiagnosis()));
            m.put("advice", advice(s));
            m.put("socket", SsCommand.json(s));
            out.println(Json.write(m));
        } else {
            out.println("Target " + SsCommand.addr(addr) + ": mode " + s.mode() + (s.isSmc() ? " (SMC in use)" : " (TCP fallback)"));
            if (!s.isSmc()) {
                out.println("  fallback reason  " + s.fallbackReason());
                if (!s.peerDiagnosis().isNone()) {
                    out.println("  peer diagnosis   " + s.peerDiagnosis());
                }
                String a = advice(s);
                if (!a.isEmpty()) {
                    out.println("  what to change   " + a);
                }
            }
        }
        return s.isSmc() ? ExitCodes.OK : ExitCodes.CHECK_FALLBACK;
    }

    /** The advice for the most specific reason: the peer's diagnosis when the peer declined. */
    static String advice(SmcSocketInfo s) {
        FallbackReason r = s.fallbackReason().equals(FallbackReason.PEERDECL) && !s.peerDiagnosis().isNone()
                ? s.peerDiagnosis() : s.fallbackReason();
        return r.isNone() ? "" : r.advice();
    }

    static InetSocketAddress parse(String t) {
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("`HOST:PORT` must look like 127.0.0.1:8080 or [::1]:8080, got '" + t + "'");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("`PORT` must be a number, got '" + t.substring(colon + 1) + "'", e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("`PORT` must be between 1 and 65535, got " + port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("`HOST` '" + host + "' could not be resolved", e);
        }
    }
}
