package io.smcvertx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.bpf.Cgroups;
import io.smcvertx.bpf.UpgradeView;
import io.smcvertx.bpf.testing.Witness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * No SMC in the kernel: the smc module unloaded and module loading blocked (else the probe's own
 * IPPROTO_SMC socket would load it again), {@code smcctl run} refuses with the reason and
 * attaches nothing. Runs first in the lab's JVM ({@code @Order(1)}; the harness orders classes by
 * {@code @Order}): unloading needs no SMC socket open, and no other test has cached the SMC
 * generic-netlink family ids, which change when the module comes back. Puts everything back
 * (modules, the lab's UEID).
 */
@Order(1)
class TransparentNoSmcIT {

    private static final Path MODPROBE = Path.of("/proc/sys/kernel/modprobe");

    @Test
    void refusedWithTheReasonAndNothingAttached() throws Exception {
        Cgroups cgroups = Witness.requireLab();
        String saved = Files.readString(MODPROBE).strip();
        try {
            assertThat(Witness.await(Duration.ofMinutes(2), () -> sh("modprobe -r smc_diag smc") == 0))
                    .as("smc unloads (no SMC socket may be open): %s", modules()).isTrue();
            assertThat(modules()).as("smc is gone").doesNotContain("smc ", "smc_diag ");
            Files.writeString(MODPROBE, "/run/lab/no-module-loading-in-this-test\n");

            TransparentRunIT.Result run = TransparentRunIT.smcctl("run", "--", "/bin/true");
            assertThat(run.rc()).as("exit 3: SMC unavailable; stderr: %s", run.err()).isEqualTo(ExitCodes.SMC_UNAVAILABLE);
            assertThat(run.err()).contains("transparent SMC refused on kernel ")
                    .contains("socket(AF_INET, SOCK_STREAM, IPPROTO_SMC) failed: EPROTONOSUPPORT")
                    .contains("nothing is selected");
            TransparentRunIT.Result probe = TransparentRunIT.smcctl("transparent", "probe");
            assertThat(probe.rc()).isEqualTo(ExitCodes.SMC_UNAVAILABLE);
            assertThat(probe.out()).contains("transparent SMC refused").containsPattern("IPPROTO_SMC +NO ")
                    .containsPattern("trial load +YES ");
            // nothing attached, nothing left: no program of ours in the kernel, no run cgroup
            assertThat(UpgradeView.scan(Optional.empty())).isEmpty();
            assertThat(TransparentRunIT.smcctl("transparent", "status").out()).contains("no transparent SMC upgrade is loaded");
            try (Stream<Path> s = Files.list(cgroups.root())) {
                assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("smcctl-run-"));
            }
        } finally {
            Files.writeString(MODPROBE, saved + "\n");
            assertThat(sh("modprobe smc && modprobe smc_diag")).as("smc back").isZero();
            String labtool = System.getenv().getOrDefault("LAB_REPO", ".") + "/deploy/lab/guest/labtool.py";
            assertThat(sh("/usr/bin/python3 " + labtool + " ueid add SMCVERTX-LAB")).as("the lab's UEID back").isZero();
        }
    }

    private static String modules() throws IOException {
        return Files.readAllLines(Path.of("/proc/modules"), StandardCharsets.US_ASCII).stream()
                .filter(l -> l.startsWith("smc")).toList().toString();
    }

    private static int sh(String cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", cmd).inheritIO().start();
        return p.waitFor(2, TimeUnit.MINUTES) ? p.exitValue() : -1;
    }

}
