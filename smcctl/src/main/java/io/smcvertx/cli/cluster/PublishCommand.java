package io.smcvertx.cli.cluster;

import io.smcvertx.cluster.FleetConfig;
import io.smcvertx.cluster.FleetConfigJson;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.SignedRevision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Validates, signs and publishes a configuration file. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Validate FILE, sign it with the operator key and publish it.",
            "FILE's `revision` must be the current revision + 1 (or absent: then it becomes current + 1,"
                    + " without protection against an edit made from an older revision)."})
final class PublishCommand implements Callable<Integer> {

    @ParentCommand
    ClusterCommand parent;

    @Parameters(index = "0", paramLabel = "FILE", description = "The fleet configuration (JSON).")
    Path file;

    @Option(names = "--key", required = true, paramLabel = "PRIVATE_KEY", description = "Operator private key file (smcctl cluster keygen).")
    Path key;

    @Override
    public Integer call() {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            FleetConfigJson.parse(text, Long.MAX_VALUE); // refuse a bad file before connecting
            OperatorKey operator = OperatorKey.load(key);
            try (ClusterCommand.Session s = parent.connect()) {
                long next = s.store.storedEnvelope().toCompletableFuture().get(30, TimeUnit.SECONDS)
                        .map(raw -> {
                            try {
                                return SignedRevision.decodeUnverified(raw).revision() + 1;
                            } catch (Exception e) {
                                return 1L;
                            }
                        }).orElse(1L);
                FleetConfig config = FleetConfigJson.parse(text, next);
                SignedRevision r = s.store.publish(config, operator).toCompletableFuture().get(60, TimeUnit.SECONDS);
                parent.out().println("published revision " + r.revision() + " signed by key " + r.keyId());
                return 0;
            }
        } catch (Exception e) {
            return Support.fail(parent.err(), e);
        }
    }
}
