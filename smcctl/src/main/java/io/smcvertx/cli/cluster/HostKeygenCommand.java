package io.smcvertx.cli.cluster;

import io.smcvertx.cluster.HostKey;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Makes a host's key pair, on the host; needs no cluster. */
@Command(name = "host-keygen", mixinStandardHelpOptions = true,
        description = {"Create this host's Ed25519 key: PRIVATE (mode 0600, stays on the host; the node's"
                + " clusterConfig.hostKey) and PRIVATE.pub (give it to the operator to enroll).",
            "The node signs its status with it, so nobody else on the Hazelcast port can speak for this host."})
final class HostKeygenCommand implements Callable<Integer> {

    @ParentCommand
    ClusterCommand parent;

    @Option(names = "--out", required = true, paramLabel = "PRIVATE", description = "Private key file to write.")
    Path out;

    @Option(names = "--force", description = "Overwrite existing files.")
    boolean force;

    @Override
    public Integer call() {
        return Support.writeKeyPair(parent, out, force, (priv, pub) -> {
            HostKey k = HostKey.generate();
            k.save(priv, pub);
            return "host key " + k.keyId() + ": private " + priv + ", public " + pub
                    + " (enroll it: smcctl cluster enroll --key OPERATOR_KEY --host NAME " + pub + ")";
        });
    }
}
