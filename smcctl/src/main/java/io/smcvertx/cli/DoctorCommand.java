package io.smcvertx.cli;

import io.smcvertx.transport.doctor.DoctorReport;
import io.smcvertx.transport.doctor.SmcDoctor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code smcctl doctor}: every check of IBM's SMC setup guide on this host, with evidence and fixes. */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Check this host's SMC setup: modules, smc_diag, "
        + "loopback-ISM, UEID/SEID for v2, handshake limitation, RDMA ports, PNET mapping of each RoCE/ISM device, "
        + "pause frames (ethtool netlink), socket buffer sysctls. Each finding has its evidence and the command that "
        + "fixes it. Exits " + ExitCodes.DOCTOR_FAILED + " when a check FAILs.")
final class DoctorCommand implements Callable<Integer> {

    @ParentCommand
    SmcCtl root;

    @Option(names = "--host", paramLabel = "NAME", description = "Host name to report under (default: this host's name).")
    String host;

    @Option(names = "--json", description = "Print JSON (stable keys) instead of text.")
    boolean json;

    @Override
    public Integer call() {
        DoctorReport r = SmcDoctor.of(host != null ? host : SmcDoctor.localHostName(), root.kernel()).run();
        if (json) {
            root.out().println(DoctorText.json(r));
        } else {
            DoctorText.print(root.out(), r);
        }
        return r.failed() ? ExitCodes.DOCTOR_FAILED : ExitCodes.OK;
    }
}
