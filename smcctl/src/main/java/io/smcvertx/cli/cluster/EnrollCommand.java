package io.smcvertx.cli.cluster;

import io.smcvertx.cluster.HostEnrollment;
import io.smcvertx.cluster.HostKey;
import io.smcvertx.cluster.OperatorKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The operator vouches for a host's key; needs no cluster. */
@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = {"Sign HOST_PUBLIC_KEY as the key of host NAME with the operator key, and write the"
                + " enrollment (the node's clusterConfig.hostEnrollment).",
            "Readers that trust the operator key then show that host's status as verified."})
final class EnrollCommand implements Callable<Integer> {

    @ParentCommand
    ClusterCommand parent;

    @Parameters(index = "0", paramLabel = "HOST_PUBLIC_KEY", description = "The host's public key file (smcctl cluster host-keygen).")
    Path hostPublicKey;

    @Option(names = "--host", required = true, paramLabel = "NAME",
            description = "The host's name, as its node reports it (clusterConfig.host).")
    String host;

    @Option(names = "--key", required = true, paramLabel = "PRIVATE_KEY", description = "Operator private key file (smcctl cluster keygen).")
    Path key;

    @Option(names = "--out", paramLabel = "FILE", description = "Enrollment file to write (default: NAME.enrollment).")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing file.")
    boolean force;

    @Override
    public Integer call() {
        Path file = out != null ? out : Path.of(host + ".enrollment");
        if (!force && Files.exists(file)) {
            parent.err().println(file + " exists; pass --force to overwrite");
            return 1;
        }
        try {
            PublicKey pub = HostKey.loadPublic(hostPublicKey);
            OperatorKey operator = OperatorKey.load(key);
            HostEnrollment e = HostEnrollment.enroll(host, pub, operator);
            e.save(file);
            parent.out().println("enrolled " + e + ": " + file);
            return 0;
        } catch (Exception e) {
            return Support.fail(parent.err(), e);
        }
    }
}
