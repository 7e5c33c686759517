package io.smcvertx.cli.cluster;

import io.smcvertx.cluster.FleetConfigJson;
import io.smcvertx.cluster.RevisionRejectedException;
import io.smcvertx.cluster.SignedRevision;
import io.smcvertx.cluster.TrustedKeys;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Prints the stored revision as an editable JSON file. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print the current revision (JSON on stdout, signer and verification on stderr).")
final class ShowCommand implements Callable<Integer> {

    @ParentCommand
    ClusterCommand parent;

    @Option(names = "--next", description = "Print it with the revision number the next publish needs.")
    boolean next;

    @Override
    public Integer call() {
        try (ClusterCommand.Session s = parent.connect()) {
            Optional<byte[]> raw = s.store.storedEnvelope().toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (raw.isEmpty()) {
                parent.err().println("no revision published yet");
                return 1;
            }
            SignedRevision r = SignedRevision.decodeUnverified(raw.get());
            TrustedKeys trust = s.trustedKeys();
            String verdict;
            if (trust.isEmpty()) {
                verdict = "signature not checked (pass --trust operator.pub)";
            } else {
                try {
                    SignedRevision.verify(raw.get(), trust);
                    verdict = "signature verified";
                } catch (RevisionRejectedException e) {
                    verdict = "REFUSED by the members' rules: " + e.getMessage();
                }
            }
            parent.err().println("revision " + r.revision() + ", signed by key " + r.keyId() + ": " + verdict);
            parent.out().println(FleetConfigJson.pretty(next ? r.config().withRevision(r.revision() + 1) : r.config()));
            return 0;
        } catch (RevisionRejectedException e) {
            parent.err().println("the store holds something that is not a revision: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            return Support.fail(parent.err(), e);
        }
    }
}
