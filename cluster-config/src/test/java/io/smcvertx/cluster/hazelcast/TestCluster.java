package io.smcvertx.cluster.hazelcast;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.ConfigReconciler;
import io.smcvertx.cluster.HostEnrollment;
import io.smcvertx.cluster.HostIdentity;
import io.smcvertx.cluster.HostKey;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.transport.system.SmcSystem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Real Hazelcast members on 127.0.0.1 in this JVM, each with a store (and an enrolled host key),
 * a kernel fake and a reconciler.
 */
final class TestCluster implements AutoCloseable {

    /** One host: member, store, kernel, reconciler. */
    static final class Node {
        final String host;
        final HazelcastInstance hz;
        final HazelcastClusterConfigStore store;
        final SmcSystem kernel;
        final ConfigReconciler reconciler;

        Node(String host, HazelcastInstance hz, HazelcastClusterConfigStore store, SmcSystem kernel,
                ConfigReconciler reconciler) {
            this.host = host;
            this.hz = hz;
            this.store = store;
            this.kernel = kernel;
            this.reconciler = reconciler;
        }
    }

    final String clusterName = "smcvertx-test-" + UUID.randomUUID();
    final List<Integer> ports;
    final OperatorKey key;
    final TrustedKeys trust;
    final List<Node> nodes = new ArrayList<>();
    private final Path dir;

    TestCluster(int size, Path dir) throws IOException {
        this(size, dir, OperatorKey.generate());
    }

    TestCluster(int size, Path dir, OperatorKey key) throws IOException {
        this.key = key;
        this.trust = TrustedKeys.of(key.publicKey());
        this.dir = dir;
        this.ports = freePorts(size);
    }

    /**
     * Ports below the kernel's ephemeral range (32768-60999 by default), free when chosen. A port the
     * kernel hands out as ephemeral (port 0) can be taken again before its member binds it: by the
     * outbound connection an earlier member makes to a member not yet started (a full restart failed
     * so in a fresh-clone run: "Port [39903] is already in use").
     */
    static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int candidate = 20000 + ThreadLocalRandom.current().nextInt(10000);
                    ports.size() < n && candidate < 32768; candidate++) {
                try {
                    ServerSocket s = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress());
                    sockets.add(s);
                    ports.add(candidate);
                } catch (IOException taken) {
                    // in use: try the next one
                }
            }
            if (ports.size() < n) {
                throw new IOException("no " + n + " free ports below 32768");
            }
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
        return ports;
    }

    /** Starts member {@code i} (host "host{i}") with its state file under the test directory. */
    Node start(int i, SmcSystem kernel) throws Exception {
        String host = "host" + i;
        HostKey hostKey = HostKey.generate(); // enrolled by the operator: its status verifies
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(
                LoopbackHazelcast.memberConfig(clusterName, ports.get(i), ports).setInstanceName(clusterName + "-" + i));
        HazelcastClusterConfigStore store = HazelcastClusterConfigStore.builder()
                .instance(hz)
                .host(host)
                .trustedKeys(trust)
                .hostKey(hostKey, HostEnrollment.enroll(host, hostKey.publicKey(), key))
                .stateFile(dir.resolve(host + ".revision"))
                .resyncInterval(Duration.ofSeconds(2))
                .start().toCompletableFuture().get(60, TimeUnit.SECONDS);
        ConfigReconciler r = ConfigReconciler.builder(store, kernel, HostIdentity.of(host))
                .writable(() -> true)
                .interval(Duration.ofSeconds(2))
                .start();
        Node n = new Node(host, hz, store, kernel, r);
        nodes.add(n);
        return n;
    }

    /** Stops everything, in the order the node would: reconciler, store, then the shared member (abruptly). */
    void stop(Node n) {
        n.reconciler.close();
        n.store.close();
        n.hz.getLifecycleService().terminate();
        nodes.remove(n);
    }

    @Override
    public void close() {
        for (Node n : List.copyOf(nodes)) {
            try {
                stop(n);
            } catch (RuntimeException e) {
                // already dead (a test killed it)
            }
        }
    }
}
