package io.smcvertx.cli.cluster;

import io.smcvertx.cluster.FleetConfig;
import io.smcvertx.cluster.FleetConfigDiff;
import io.smcvertx.cluster.FleetConfigJson;
import io.smcvertx.cluster.HostReport;
import io.smcvertx.cluster.HostStatus;
import io.smcvertx.cluster.SignedRevision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** What a file would change, or (without a file) where the kernels differ from the configuration. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"With FILE: what publishing it would change against the current revision.",
            "Without: every host's drift (kernel vs. applied revision) as the reconcilers report it.",
            "Exit code 0 when there is no difference, 1 when there is."})
final class DiffCommand implements Callable<Integer> {

    @ParentCommand
    ClusterCommand parent;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "A fleet configuration (JSON).")
    Path file;

    @Override
    public Integer call() {
        try (ClusterCommand.Session s = parent.connect()) {
            if (file != null) {
                Optional<byte[]> raw = s.store.storedEnvelope().toCompletableFuture().get(30, TimeUnit.SECONDS);
                FleetConfig current = raw.isEmpty() ? null : SignedRevision.decodeUnverified(raw.get()).config();
                FleetConfig wanted = FleetConfigJson.parse(Files.readString(file, StandardCharsets.UTF_8),
                        current == null ? 1 : current.revision() + 1);
                List<String> lines = FleetConfigDiff.between(current, wanted);
                lines.forEach(parent.out()::println);
                if (lines.isEmpty()) {
                    parent.out().println("no change");
                }
                return lines.isEmpty() ? 0 : 1;
            }
            Map<String, HostReport> status = s.store.status().toCompletableFuture().get(30, TimeUnit.SECONDS);
            int differing = 0;
            for (HostReport r : status.values()) {
                if (r.status().isEmpty()) {
                    continue;
                }
                HostStatus h = r.status().get();
                if (!h.drift().isEmpty()) {
                    differing++;
                    parent.out().println(h.host() + " (revision " + h.appliedRevision() + ", " + r.trustLabel() + "):");
                    h.drift().forEach(d -> parent.out().println("  " + d));
                }
            }
            if (differing == 0) {
                parent.out().println("no drift on " + status.size() + " host(s)");
            }
            return differing == 0 ? 0 : 1;
        } catch (Exception e) {
            return Support.fail(parent.err(), e);
        }
    }
}
