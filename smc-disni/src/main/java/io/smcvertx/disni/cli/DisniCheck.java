package io.smcvertx.disni.cli;

import io.smcvertx.disni.DisniReadiness;
import io.smcvertx.disni.RdmaReadiness;
import io.smcvertx.disni.RdmaReadinessStatus;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prints the readiness verdict for each address, and fails when one differs from what the
 * caller expected: {@code DisniCheck 10.98.0.1=READY 10.97.0.1=NO_RDMA_DEVICE 192.0.2.1}.
 *
 * <p>Output: the environment checks (one line each), then one line per address,
 * {@code disni-check: ADDRESS STATUS: evidence (fix: ...)}. Exit code 0 when every expectation
 * held (an address without one never fails the run), 1 when one did not, 2 on bad arguments.
 */
public final class DisniCheck {

    private DisniCheck() {
    }

    public static void main(String[] args) {
        Map<Inet4Address, Optional<RdmaReadinessStatus>> wanted;
        try {
            wanted = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("disni-check: " + e.getMessage());
            System.err.println("usage: DisniCheck IPV4[=STATUS]...   STATUS: one of " + List.of(RdmaReadinessStatus.values()));
            System.exit(2);
            return;
        }
        DisniReadiness readiness = DisniReadiness.create();
        readiness.environmentFindings().forEach(f -> System.out.println("disni-check: environment " + f));
        int failed = 0;
        for (var e : wanted.entrySet()) {
            RdmaReadiness verdict = readiness.check(e.getKey());
            boolean ok = e.getValue().map(s -> s == verdict.status()).orElse(true);
            System.out.println("disni-check: " + verdict + e.getValue().map(s -> ok ? " [expected]" : " [EXPECTED " + s + "]").orElse(""));
            failed += ok ? 0 : 1;
        }
        System.out.println("disni-check: " + (failed == 0 ? "PASS" : "FAIL: " + failed + " verdict(s) differ from the expected"));
        System.exit(failed == 0 ? 0 : 1);
    }

    static Map<Inet4Address, Optional<RdmaReadinessStatus>> parse(String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("no address given");
        }
        Map<Inet4Address, Optional<RdmaReadinessStatus>> wanted = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String host = eq < 0 ? arg : arg.substring(0, eq);
            Optional<RdmaReadinessStatus> status = Optional.empty();
            if (eq >= 0) {
                try {
                    status = Optional.of(RdmaReadinessStatus.valueOf(arg.substring(eq + 1)));
                } catch (IllegalArgumentException e) {
                    errors.add("`" + arg + "`: the expected status must be one of " + List.of(RdmaReadinessStatus.values()));
                }
            }
            try {
                if (host.matches("[0-9.]+") && InetAddress.getByName(host) instanceof Inet4Address v4) {
                    wanted.put(v4, status);
                    continue;
                }
            } catch (UnknownHostException e) {
                // reported below
            }
            errors.add("`" + arg + "`: the address must be IPv4 in dotted form");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return wanted;
    }
}
