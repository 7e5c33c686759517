package io.smcvertx.cli.cluster;

import io.smcvertx.cluster.OperatorKey;
import java.nio.file.Files;
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
        Path pub = out.resolveSibling(out.getFileName() + ".pub");
        if (!force && (Files.exists(out) || Files.exists(pub))) {
            parent.err().println(out + " or " + pub + " exists; pass --force to overwrite");
            return 1;
        }
        try {
            OperatorKey k = OperatorKey.generate();
            k.save(out, pub);
            parent.out().println("key " + k.keyId() + ": private " + out + ", public " + pub);
            return 0;
        } catch (Exception e) {
            return Support.fail(parent.err(), e);
        }
    }
}
