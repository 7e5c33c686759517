package io.smcvertx.cli.cluster;

import io.smcvertx.cluster.OperatorKey;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Makes an operator key pair; needs no cluster. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Create an Ed25519 operator key: PRIVATE (mode 0600, keep it) and PRIVATE.pub (give it to every member).")
final class KeygenCommand implements Callable<Integer> {

    @ParentCommand
    ClusterCommand parent;

    @Option(names = "--out", required = true, paramLabel = "PRIVATE", description = "Private key file to write.")
    Path out;

    @Option(names = "--force", description = "Overwrite existing files.")
    boolean force;

    @Override
    public Integer call() {
        return Support.writeKeyPair(parent, out, force, (priv, pub) -> {
            OperatorKey k = OperatorKey.generate();
            k.save(priv, pub);
            return "key " + k.keyId() + ": private " + priv + ", public " + pub;
        });
    }
}
