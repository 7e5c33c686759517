package io.smcvertx.cluster.hazelcast;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.ConfigReconciler;
import io.smcvertx.cluster.FleetConfigJson;
import io.smcvertx.cluster.HostEnrollment;
import io.smcvertx.cluster.HostIdentity;
import io.smcvertx.cluster.HostKey;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.cluster.internal.FaultPoints;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One fleet host in a process of its own, for {@link ClusterProcessFaultTest} and
 * {@link ClusterCrashIT}: a real Hazelcast member (or, with {@code client}, a Hazelcast client of
 * the members on the listed ports, as a node in client mode), the store (state file, enrolled
 * host key), a reconciler with its journal over a {@link FileKernel} (or, with {@code netlink},
 * over the lab's real kernel). It prints {@code READY} when started and takes commands on stdin:
 *
 * <ul>
 *   <li>{@code hold POINT [N]}: at the N-th time (default 1) this process reaches POINT (a
 *       {@link FaultPoints} name, or {@code kernel.after-write}), print {@code HELD POINT} and
 *       block that thread for ever, so the test can SIGKILL the process exactly there;</li>
 *   <li>{@code publish JSON}: sign the fleet configuration JSON with the operator key and publish
 *       it from this member; prints {@code PUBLISHED r} or {@code PUBLISH-FAILED why}.</li>
 * </ul>
 *
 * <p>Arguments: cluster port allPorts(comma) host dir operatorKeyFile [file|netlink [member|client]].
 */
public final class HostProcess {

    private HostProcess() {
    }

    public static void main(String[] args) throws Exception {
        String cluster = args[0];
        int port = Integer.parseInt(args[1]);
        List<Integer> ports = Arrays.stream(args[2].split(",")).map(Integer::parseInt).toList();
        String host = args[3];
        Path dir = Path.of(args[4]);
        OperatorKey operator = OperatorKey.load(Path.of(args[5]));
        TrustedKeys trust = TrustedKeys.of(operator.publicKey());
        HostKey hostKey = HostKey.load(dir.resolve(host + ".key"));

        boolean client = args.length > 7 && args[7].equals("client");
        HazelcastInstance hz = client
                ? FleetHazelcast.startClient(FleetHazelcast.clientConfig(cluster, ports.stream().map(p -> "127.0.0.1:" + p).toList()),
                        Duration.ofMinutes(15))
                : Hazelcast.newHazelcastInstance(LoopbackHazelcast.memberConfig(cluster, port, ports)
                        .setInstanceName(cluster + "-" + host));
        HazelcastClusterConfigStore store = HazelcastClusterConfigStore.builder().instance(hz).host(host)
                .trustedKeys(trust).hostKey(hostKey, HostEnrollment.load(dir.resolve(host + ".enrollment")))
                .stateFile(dir.resolve(host + ".revision")).resyncInterval(Duration.ofSeconds(2))
                .start().toCompletableFuture().get(15, TimeUnit.MINUTES);
        HookedKernel kernel = args.length > 6 && args[6].equals("netlink")
                ? new HookedKernel(io.smcvertx.transport.system.SmcKernel.netlink(Duration.ofSeconds(60)))
                : new FileKernel(dir.resolve(host + ".kernel"));
        ConfigReconciler.builder(store, kernel, HostIdentity.of(host)).writable(() -> true)
                .interval(Duration.ofSeconds(2)).appliedFile(dir.resolve(host + ".revision.applied")).start();
        say("READY");

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.split(" ", 2);
            switch (w[0]) {
                case "hold" -> {
                    String[] a = w[1].split(" ");
                    String point = a[0];
                    int nth = a.length > 1 ? Integer.parseInt(a[1]) : 1;
                    if (point.equals("kernel.after-write")) {
                        kernel.afterWrite(n -> {
                            if (n == nth) {
                                holdForEver(point);
                            }
                        });
                    } else {
                        int[] seen = {0};
                        FaultPoints.install(p -> {
                            if (p.equals(point) && ++seen[0] == nth) {
                                holdForEver(point);
                            }
                        });
                    }
                    say("ARMED " + point);
                }
                case "publish" -> store.publish(FleetConfigJson.parse(w[1], Long.MAX_VALUE), operator).whenComplete(
                        (r, e) -> say(e == null ? "PUBLISHED " + r.revision() : "PUBLISH-FAILED " + e));
                default -> say("UNKNOWN " + line);
            }
        }
    }

    /**
     * The command that starts a member process with {@code args}, on this JVM's java, with the JVM
     * flags this JVM was started with (the build's smc.jvm.flags) and {@code classpath}.
     */
    static List<String> command(String classpath, String... args) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String[] own = ProcessHandle.current().info().arguments().orElse(new String[0]);
        for (int k = 0; k < own.length; k++) {
            if (own[k].equals("--add-opens") || own[k].equals("--add-exports")) {
                cmd.add(own[k]);
                cmd.add(own[++k]);
            } else if (own[k].startsWith("--add-opens=") || own[k].startsWith("--enable-native-access")) {
                cmd.add(own[k]);
            }
        }
        cmd.addAll(List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        String logging = System.getProperty("java.util.logging.config.file");
        if (logging != null) {
            cmd.add("-Djava.util.logging.config.file=" + logging);
        }
        cmd.addAll(List.of("-cp", classpath, HostProcess.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void holdForEver(String point) {
        say("HELD " + point);
        try {
            new CountDownLatch(1).await(); // until SIGKILL
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
