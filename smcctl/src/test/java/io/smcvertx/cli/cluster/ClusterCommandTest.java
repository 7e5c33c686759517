package io.smcvertx.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.ConfigReconciler;
import io.smcvertx.cluster.HostEnrollment;
import io.smcvertx.cluster.HostIdentity;
import io.smcvertx.cluster.HostKey;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.cluster.hazelcast.HazelcastClusterConfigStore;
import io.smcvertx.cluster.hazelcast.LoopbackHazelcast;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.Ueid;
import io.smcvertx.transport.system.testing.InMemorySmcSystem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The worked example of cluster-config/README.md, run against a real member on 127.0.0.1. */
class ClusterCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ClusterCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void keygenPublishStatusShowDiff() throws Exception {
        Run keygen = run("keygen", "--out", dir.resolve("operator.key").toString());
        assertThat(keygen.exit()).as(keygen.err()).isZero();
        Path pub = dir.resolve("operator.key.pub");
        assertThat(pub).exists();
        // the host makes its key, the operator enrolls it
        Run hostKeygen = run("host-keygen", "--out", dir.resolve("host.key").toString());
        assertThat(hostKeygen.exit()).as(hostKeygen.err()).isZero();
        Run enroll = run("enroll", "--key", dir.resolve("operator.key").toString(), "--host", "node1",
                "--out", dir.resolve("node1.enrollment").toString(), dir.resolve("host.key.pub").toString());
        assertThat(enroll.exit()).as(enroll.err()).isZero();
        assertThat(enroll.out()).contains("enrolled host node1 key");

        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String cluster = "smcctl-" + UUID.randomUUID();
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(LoopbackHazelcast.memberConfig(cluster, port, List.of(port)));
        InMemorySmcSystem kernel = new InMemorySmcSystem();
        try (HazelcastClusterConfigStore store = HazelcastClusterConfigStore.builder().instance(hz).host("node1")
                .trustedKeys(TrustedKeys.load(List.of(pub))).stateFile(dir.resolve("node1.revision"))
                .hostKey(HostKey.load(dir.resolve("host.key")), HostEnrollment.load(dir.resolve("node1.enrollment")))
                .start().toCompletableFuture().get(60, TimeUnit.SECONDS);
                ConfigReconciler reconciler = ConfigReconciler.builder(store, kernel, HostIdentity.of("node1"))
                        .writable(() -> true).interval(Duration.ofSeconds(1)).start()) {
            List<String> conn = List.of("--member", "127.0.0.1:" + port, "--cluster-name", cluster, "--trust", pub.toString());
            Path fleet = dir.resolve("fleet.json");
            Files.writeString(fleet, """
                    {
                      "revision": 1,
                      "comment": "loopback-ISM needs a UEID; eth0 is on NET1",
                      "pnet": [ { "pnetId": "NET1", "ethName": "eth0" } ],
                      "ueids": [ "SMCVERTX-DEMO" ]
                    }
                    """);
            Run diff0 = run(args(conn, "diff", fleet.toString()));
            assertThat(diff0.out()).contains("+ pnet NET1 eth eth0 on all hosts", "+ ueid SMCVERTX-DEMO on all hosts");

            Run publish = run(args(conn, "publish", fleet.toString(), "--key", dir.resolve("operator.key").toString()));
            assertThat(publish.exit()).as(publish.err()).isZero();
            assertThat(publish.out()).contains("published revision 1");

            Run status = awaitStatus(conn);
            assertThat(status.out()).containsPattern("node1\\s+1\\s+1\\s+APPLIED\\s+none\\s+\\S+\\s+verified");
            // without the operator's public key nothing can be verified: shown as such, and not a success
            List<String> noTrust = List.of("--member", "127.0.0.1:" + port, "--cluster-name", cluster);
            Run blind = run(args(noTrust, "status"));
            assertThat(blind.exit()).isEqualTo(1);
            assertThat(blind.out()).contains("UNVERIFIED (untrusted key)", "no --trust given");
            // a status written into the map by someone else (any client can) is shown as unverified
            hz.getMap(HazelcastClusterConfigStore.DEFAULT_STATUS_MAP).set("node2",
                    io.smcvertx.cluster.SignedHostStatus.unsigned(new io.smcvertx.cluster.HostStatus("node2", 1, 1, true,
                            java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(), false,
                            List.of(), java.util.Optional.empty(), java.util.Optional.empty(), List.of(), java.time.Instant.now())));
            Run forged = run(args(conn, "status", "-v"));
            assertThat(forged.exit()).as("a host that cannot be verified is not applied").isEqualTo(1);
            assertThat(forged.out()).containsPattern("node2\\s+1\\s+1\\s+APPLIED\\s+none\\s+\\S+\\s+UNVERIFIED \\(unsigned\\)")
                    .contains("1 host(s) UNVERIFIED").contains("trust: host node1 key");
            hz.getMap(HazelcastClusterConfigStore.DEFAULT_STATUS_MAP).delete("node2");
            assertThat(kernel.pnetTable()).containsExactly(PnetEntry.ethernet("NET1", "eth0"));
            assertThat(kernel.ueids()).containsExactly(Ueid.of("SMCVERTX-DEMO"));

            Run show = run(args(conn, "--trust", pub.toString(), "show"));
            assertThat(show.exit()).isZero();
            assertThat(show.err()).contains("revision 1", "signature verified");
            assertThat(show.out()).contains("\"SMCVERTX-DEMO\"", "\"NET1\"");

            // the same file again is an outdated base: a conflict, nothing written
            Run again = run(args(conn, "publish", fleet.toString(), "--key", dir.resolve("operator.key").toString()));
            assertThat(again.exit()).isEqualTo(ClusterCommand.EXIT_CONFLICT);
            assertThat(again.err()).contains("publish revision 2");

            // a broken file is refused before anything is sent, each error naming its field
            Path bad = dir.resolve("bad.json");
            Files.writeString(bad, "{\"revision\": 2, \"ueids\": [\"A\", \"B\", \"C\", \"D\", \"E\"],"
                    + " \"pnet\": [{\"pnetId\": \"NET-1\", \"ethName\": \"eth0\"}]}");
            Run refused = run(args(conn, "publish", bad.toString(), "--key", dir.resolve("operator.key").toString()));
            assertThat(refused.exit()).isEqualTo(ClusterCommand.EXIT_INVALID);
            assertThat(refused.err()).contains("`pnet[0].pnetId`");

            // drift made by hand shows in `diff` without a file
            kernel.addUeid(Ueid.of("BY-HAND"));
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                Run drift = run(args(conn, "diff"));
                assertThat(drift.exit()).isEqualTo(1);
                assertThat(drift.out()).contains("node1", "UEID BY-HAND in the kernel but not in revision 1");
            });
        } finally {
            hz.getLifecycleService().terminate();
        }
        assertThat(run("--member", "127.0.0.1:" + port, "--connect-timeout", "2", "status").exit())
                .isEqualTo(ClusterCommand.EXIT_UNREACHABLE);
    }

    private Run awaitStatus(List<String> conn) {
        return await().atMost(Duration.ofSeconds(90)).until(() -> run(args(conn, "status")), r -> r.exit() == 0);
    }

    private static String[] args(List<String> conn, String... rest) {
        List<String> all = new ArrayList<>(conn);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}
