package io.smcvertx.cli.cluster;

import io.smcvertx.cli.DoctorText;
import io.smcvertx.cluster.hazelcast.HazelcastDoctorReports;
import io.smcvertx.transport.doctor.DoctorReport;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Every node's last doctor report in one table, read from the cluster beside the host status. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Every node's last 'smcctl doctor' report (nodes publish theirs with their status): one row per "
                + "host, then each WARN and FAIL with its fix. Exits 12 when any host has a FAIL.")
final class DoctorClusterCommand implements Callable<Integer> {

    @ParentCommand
    ClusterCommand parent;

    @Option(names = "--json", description = "Print JSON keyed by host.")
    boolean json;

    @Override
    public Integer call() {
        try (ClusterCommand.Session s = parent.connect()) {
            Map<String, DoctorReport> reports = HazelcastDoctorReports.on(s.client).reports().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            if (json) {
                parent.out().println(DoctorText.json(reports));
            } else {
                DoctorText.printTable(parent.out(), reports);
            }
            return reports.values().stream().anyMatch(DoctorReport::failed) ? io.smcvertx.cli.ExitCodes.DOCTOR_FAILED : 0;
        } catch (Exception e) {
            return Support.fail(parent.err(), e);
        }
    }
}
