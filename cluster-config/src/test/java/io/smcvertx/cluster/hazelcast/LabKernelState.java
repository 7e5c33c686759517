package io.smcvertx.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.Ueid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The lab kernel's UEIDs and PNET table, taken over by an IT (saved, then flushed) and put back
 * afterwards, whatever happens; outside the lab, where the kernel has no SMC, the IT is skipped
 * with the reason, inside it fails. Also {@code ip}, for the dummy netdevs PNET entries name.
 */
final class LabKernelState {

    private final SmcKernel kernel;
    private final List<Ueid> ueids;
    private final List<PnetEntry> pnet;

    private LabKernelState(SmcKernel kernel, List<Ueid> ueids, List<PnetEntry> pnet) {
        this.kernel = kernel;
        this.ueids = ueids;
        this.pnet = pnet;
    }

    /** Saves the kernel's UEIDs and PNET table and flushes both: from here on the kernel is the IT's. */
    static LabKernelState takeOver(SmcKernel kernel) throws IOException {
        LabKernelState s;
        try {
            s = new LabKernelState(kernel, kernel.ueids(), kernel.pnetTable());
        } catch (IOException | RuntimeException e) {
            if (Boolean.getBoolean("smcvertx.lab")) {
                Assertions.fail("the lab guest has no SMC netlink: " + e.getMessage());
            }
            Assumptions.abort("needs kernel SMC: " + e.getMessage());
            throw e;
        }
        kernel.flushUeids();
        kernel.flushPnet();
        return s;
    }

    /** Puts back what {@link #takeOver} saved (UEIDs first, then the PNET table, each whatever the other did). */
    void restore() throws IOException {
        try {
            kernel.flushUeids();
            for (Ueid u : ueids) {
                kernel.addUeid(u);
            }
        } finally {
            kernel.flushPnet();
            for (PnetEntry e : pnet) {
                kernel.addPnet(e);
            }
        }
    }

    static void ip(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Files.exists(Path.of("/usr/sbin/ip")) ? "/usr/sbin/ip" : "/sbin/ip");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}
