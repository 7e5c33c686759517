package io.smcvertx.cli.cluster;

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
 * the machine; others show "none"), and what is wrong if anything.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Every host's applied revision, state, drift and errors, as their reconcilers last reported.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    ClusterCommand parent;

    @Option(names = {"-v", "--verbose"}, description = "Also list drift, notes and refusals per host.")
    boolean verbose;

    @Override
    public Integer call() {
        try (ClusterCommand.Session s = parent.connect()) {
            Map<String, HostStatus> status = s.store.status().toCompletableFuture().get(30, TimeUnit.SECONDS);
            long current = s.store.storedEnvelope().toCompletableFuture().get(30, TimeUnit.SECONDS).map(raw -> {
                try {
                    return SignedRevision.decodeUnverified(raw).revision();
                } catch (Exception e) {
                    return 0L;
                }
            }).orElse(0L);
            PrintWriter out = parent.out();
            out.println("current revision: " + (current == 0 ? "none" : current));
            out.printf("%-20s %-8s %-8s %-10s %-37s %-5s %s%n", "HOST", "APPLIED", "DESIRED", "STATE", "SEID", "AGE",
                    "DETAIL");
            boolean allApplied = !status.isEmpty();
            for (HostStatus h : status.values()) {
                String detail = h.lastError().or(() -> h.kernelSmcCause()).or(() -> h.readOnly())
                        .or(() -> h.transparent().flatMap(TransparentStatus::refusal).map(r -> "transparent refused: " + r))
                        .orElse(h.drift().isEmpty() ? "" : h.drift().size() + " drift: " + h.drift().getFirst());
                out.printf("%-20s %-8d %-8d %-10s %-37s %-5s %s%n", h.host(), h.appliedRevision(), h.desiredRevision(),
                        h.state(), seid(h), age(h.updatedAt()), detail);
                if (verbose) {
                    h.transparent().ifPresent(t -> {
                        out.println("    " + t.summary() + (t.attached() ? " (" + t.attachment() + ")" : ""));
                        t.selected().forEach(c -> out.println("    transparent: " + c));
                    });
                    h.drift().forEach(d -> out.println("    drift: " + d));
                    h.notes().forEach(n -> out.println("    note: " + n));
                    h.rejected().ifPresent(r -> out.println("    refused: " + r));
                }
                allApplied &= h.hasApplied(current);
            }
            if (status.isEmpty()) {
                out.println("(no host has reported yet)");
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
