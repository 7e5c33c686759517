package io.smcvertx.cli.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cli.SmcCtl;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.cluster.hazelcast.HazelcastClusterConfigStore;
import io.smcvertx.cluster.hazelcast.LoopbackHazelcast;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code smcctl cluster}: talks to a running member as a Hazelcast client (127.0.0.1:5701 by
 * default). The member does the verifying and applying; this command reads the store, signs
 * with the operator's key, and publishes.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "The fleet's SMC configuration: show it, publish a new revision, see every host's status.",
        subcommands = {ShowCommand.class, PublishCommand.class, StatusCommand.class, DiffCommand.class,
            KeygenCommand.class, DoctorClusterCommand.class})
public final class ClusterCommand implements Runnable {

    /** Exit code of a refused configuration (validation errors). */
    public static final int EXIT_INVALID = 2;
    /** Exit code of a lost publish race or an outdated base revision. */
    public static final int EXIT_CONFLICT = 3;
    /** Exit code when no member could be reached. */
    public static final int EXIT_UNREACHABLE = 4;

    @Spec
    CommandSpec spec;

    @Option(names = "--member", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:5701", split = ",",
            description = "Member(s) to connect to (default: ${DEFAULT-VALUE}).")
    List<String> members;

    @Option(names = "--cluster-name", defaultValue = "smc-vertx",
            description = "Hazelcast cluster name, as the node's hazelcast.clusterName (default: ${DEFAULT-VALUE}).")
    String clusterName;

    @Option(names = "--connect-timeout", defaultValue = "10s", converter = SmcCtl.DurationConverter.class,
            description = "Give up connecting after this long, e.g. 10s, 500ms or ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--trust", paramLabel = "PUBLIC_KEY", split = ",",
            description = "Operator public key file(s): verify signatures as the members do.")
    List<Path> trust;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A connection for one subcommand: a Hazelcast client and a store over it, closed together. */
    final class Session implements AutoCloseable {
        final HazelcastInstance client;
        final HazelcastClusterConfigStore store;

        Session() throws Exception {
            try {
                client = HazelcastClient.newHazelcastClient(LoopbackHazelcast.clientConfig(clusterName, members,
                        connectTimeout.toMillis()));
            } catch (RuntimeException e) {
                throw new Unreachable("no member reachable at " + members + " (cluster `" + clusterName + "`): "
                        + e.getMessage(), e);
            }
            try {
                store = HazelcastClusterConfigStore.builder().instance(client).host("smcctl")
                        .trustedKeys(trustedKeys()).resyncInterval(Duration.ZERO)
                        .start().toCompletableFuture().get(connectTimeout.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                client.shutdown();
                throw e;
            }
        }

        TrustedKeys trustedKeys() throws IOException {
            return trust == null || trust.isEmpty() ? TrustedKeys.none() : TrustedKeys.load(trust);
        }

        @Override
        public void close() {
            store.close();
            client.shutdown();
        }
    }

    Session connect() throws Exception {
        return new Session();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** No member answered. */
    static final class Unreachable extends Exception {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Runs {@code smcctl cluster ...} on its own (the smcctl root command wires this class in). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ClusterCommand()).execute(args));
    }
}
