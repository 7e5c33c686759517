package io.smcvertx.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cli.ExitCodes;
import io.smcvertx.cluster.hazelcast.HazelcastDoctorReports;
import io.smcvertx.cluster.hazelcast.LoopbackHazelcast;
import io.smcvertx.transport.doctor.DoctorReport;
import io.smcvertx.transport.doctor.Finding;
import io.smcvertx.transport.doctor.SmcDoctor;
import io.smcvertx.transport.system.SmcKernel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code smcctl cluster doctor} against a real member: two hosts' reports (one this host's real
 * doctor run, one with a failure) in one table, exit 12 because one host fails.
 */
class DoctorClusterCommandTest {

    @Test
    void everyHostsReportInOneTable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String cluster = "doctor-" + UUID.randomUUID();
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(LoopbackHazelcast.memberConfig(cluster, port, List.of(port)));
        try {
            HazelcastDoctorReports reports = HazelcastDoctorReports.on(hz);
            DoctorReport here = SmcDoctor.of("host-a", SmcKernel.netlink()).run();
            reports.publish(here).toCompletableFuture().get(30, TimeUnit.SECONDS);
            reports.publish(new DoctorReport("host-b", "6.12.118+deb12-amd64", Instant.parse("2026-12-04T22:00:00Z"), List.of(
                    new Finding("pause", Finding.Status.FAIL, "eth1", "pause frames are off on eth1 (RX off, TX off): RoCE needs a lossless link",
                            "ETHTOOL_MSG_PAUSE_GET eth1: autonegotiate off, RX off, TX off", Optional.of("ethtool -A eth1 rx on tx on")))))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = new CommandLine(new ClusterCommand());
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int exit = cl.execute("--member", "127.0.0.1:" + port, "--cluster-name", cluster, "doctor");
            System.out.println(out);
            assertThat(exit).as(err.toString()).isEqualTo(ExitCodes.DOCTOR_FAILED);
            assertThat(out.toString()).contains("host-a", "host-b", "FAIL pause", "fix: ethtool -A eth1 rx on tx on");
            assertThat(out.toString().lines().filter(l -> l.startsWith("host-a ")).findFirst().orElseThrow())
                    .contains(here.kernelRelease()).contains(here.worst().name());
        } finally {
            hz.shutdown();
        }
    }
}
