package io.smcvertx.cli.cluster;

import io.smcvertx.cluster.HostReport;
import io.smcvertx.cluster.HostStatus;
import io.smcvertx.cluster.SignedRevision;
import io.smcvertx.cluster.TransparentStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * One line per host: which revision its kernel holds, its SEID (IBM Z hosts have one, derived from
 * the machine; others show "none"), what is wrong if anything, and whether the host itself said so
 * (its signature, checked against the operator keys given with --trust).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Every host's applied revision, state, drift and errors, as their reconcilers last reported,"
                + " and whether each report is signed by that host's enrolled key (TRUST).",
            "Exit code 0 only when every host reported, verified, that it applied the current revision."})
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    ClusterCommand parent;

    @Option(names = {"-v", "--verbose"}, description = "Also list drift, notes, refusals and the trust detail per host.")
    boolean verbose;

    @Override
    public Integer call() {
        try (ClusterCommand.Session s = parent.connect()) {
            Map<String, HostReport> status = s.store.status().toCompletableFuture().get(30, TimeUnit.SECONDS);
            long current = s.store.storedEnvelope().toCompletableFuture().get(30, TimeUnit.SECONDS).map(raw -> {
                try {
                    return SignedRevision.decodeUnverified(raw).revision();
                } catch (Exception e) {
                    return 0L;
                }
            }).orElse(0L);
            PrintWriter out = parent.out();
            out.println("current revision: " + (current == 0 ? "none" : current));
            out.printf("%-20s %-8s %-8s %-10s %-37s %-5s %-26s %s%n", "HOST", "APPLIED", "DESIRED", "STATE", "SEID",
                    "AGE", "TRUST", "DETAIL");
            boolean allApplied = !status.isEmpty();
            int unverified = 0;
            for (HostReport r : status.values()) {
                allApplied &= r.hasApplied(current);
                if (!r.verified()) {
                    unverified++;
                }
                if (r.status().isEmpty()) {
                    out.printf("%-20s %-8s %-8s %-10s %-37s %-5s %-26s %s%n", r.host(), "-", "-", "-", "-", "-",
                            r.trustLabel(), r.detail());
                    continue;
                }
                HostStatus h = r.status().get();
                String detail = h.lastError().or(() -> h.kernelSmcCause()).or(() -> h.readOnly())
                        .or(() -> h.transparent().flatMap(TransparentStatus::refusal).map(x -> "transparent refused: " + x))
                        .orElse(h.drift().isEmpty() ? "" : h.drift().size() + " drift: " + h.drift().getFirst());
                out.printf("%-20s %-8d %-8d %-10s %-37s %-5s %-26s %s%n", r.host(), h.appliedRevision(),
                        h.desiredRevision(), h.state(), seid(h), age(h.updatedAt()), r.trustLabel(), detail);
                if (verbose) {
                    out.println("    trust: " + r.detail());
                    h.transparent().ifPresent(t -> {
                        out.println("    " + t.summary() + (t.attached() ? " (" + t.attachment() + ")" : ""));
                        t.selected().forEach(c -> out.println("    transparent: " + c));
                    });
                    h.drift().forEach(d -> out.println("    drift: " + d));
                    h.notes().forEach(n -> out.println("    note: " + n));
                    h.rejected().ifPresent(x -> out.println("    refused: " + x));
                }
            }
            if (status.isEmpty()) {
                out.println("(no host has reported yet)");
            }
            if (unverified > 0) {
                out.println(unverified + " host(s) UNVERIFIED: not signed by the host's enrolled key"
                        + (parent.trust == null || parent.trust.isEmpty() ? " as far as this command can tell (no --trust given)"
                                : "") + "; anyone on the Hazelcast port could have written them (-v says why)");
            }
            return allApplied ? 0 : 1;
        } catch (Exception e) {
            return Support.fail(parent.err(), e);
        }
    }

    /** The SEID as the host's kernel reported it, "(off)" when the kernel does not use it; "none" off IBM Z. */
    static String seid(HostStatus h) {
        return h.seid().map(v -> h.seidEnabled() ? v : v + " (off)").orElse("none");
    }

    private static String age(Instant at) {
        long s = Math.max(0, Duration.between(at, Instant.now()).toSeconds());
        return s < 120 ? s + "s" : s / 60 + "m";
    }
}
