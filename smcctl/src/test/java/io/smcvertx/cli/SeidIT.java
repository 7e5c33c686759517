package io.smcvertx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.system.SeidState;
import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.Ueid;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code smcctl seid} against an IBM Z kernel (the lab's s390x guest, where the kernel derives the
 * SEID from QEMU's CPU model). The kernel's word decides, with the lab's python labtool as a second
 * reader: the SEID it shows, the refusal to disable it without a UEID (ENOENT), SMC-D after
 * disabling it with a UEID, and the kernel re-enabling it when the last UEID goes.
 *
 * <p>Tagged {@code ibmz}: the s390x leg runs it ({@code run-its.sh --no-ueid --tag ibmz}); the
 * amd64 leg excludes it (there the kernel refuses SEID commands, which {@link SmcctlIT} checks).
 */
@Tag("ibmz")
class SeidIT {

    private static final SmcKernel K = SmcKernel.netlink(Duration.ofSeconds(60));
    private static final Path REPO = Path.of(System.getenv().getOrDefault("LAB_REPO", "")).toAbsolutePath();
    private static final String UEID = "SMCVERTX-IBMZ";
    private static List<Ueid> savedUeids;

    static Cli.Result run(String... args) {
        return Cli.run(K, args);
    }

    @BeforeAll
    static void ibmZKernel() throws Exception {
        boolean lab = Boolean.getBoolean("smcvertx.lab");
        if (!"s390x".equals(System.getProperty("os.arch"))) {
            String why = "needs an IBM Z (s390x) kernel, this is " + System.getProperty("os.arch");
            if (lab) {
                Assertions.fail(why + ": run it in the s390x guest (run-in-vm.sh --arch s390x)");
            }
            Assumptions.abort(why);
        }
        savedUeids = K.ueids();
    }

    @AfterEach
    void seidBackOn() throws Exception {
        K.flushUeids();     // on IBM Z this re-enables the SEID, too
        K.setSeidEnabled(true);
    }

    @AfterAll
    static void restoreUeids() throws Exception {
        if (savedUeids != null) {
            for (Ueid u : savedUeids) {
                K.addUeid(u);
            }
        }
    }

    @Test
    void showPrintsTheSeidTheKernelDerivedFromTheMachine() throws Exception {
        Cli.Result show = run("seid", "show");
        assertThat(show.rc()).isZero();
        assertThat(show.out().strip()).matches("SEID IBM-SYSZ-ISMSEID[0-9A-F]{16} \\[enabled]");
        // an independent reader of SMC_NETLINK_DUMP_SEID says the same
        assertThat(labtool("seid", "show").strip()).isEqualTo(show.out().strip());
        String seid = K.seid().seid().orElseThrow();
        assertThat(run("seid", "show", "--json").out()).contains("\"seid\":\"" + seid + "\"").contains("\"enabled\":true");
        assertThat(run("info").out()).contains("SEID                 " + seid + " (enabled)");
        assertThat(K.sysInfo().seid()).contains(seid);
        assertThat(K.sysInfo().ismV2()).isTrue();
    }

    @Test
    void disableWithoutAUeidFailsWithTheKernelsReason() throws Exception {
        K.flushUeids();
        Cli.Result r = run("seid", "disable");
        assertThat(r.rc()).isEqualTo(ExitCodes.NOT_FOUND_OR_EXISTS);
        assertThat(r.err()).contains("the SEID cannot be disabled while no UEID is configured (add a UEID first)")
                .contains("ENOENT");
        assertThat(K.seid().enabled()).isTrue();
        assertThat(labtool("seid", "show")).contains("[enabled]");
    }

    @Test
    void withAUeidDisableSucceedsSmcdThenRestsOnTheUeidAndEnableRestoresIt() throws Exception {
        String seid = K.seid().seid().orElseThrow();
        // SEID alone: SMC-D comes up without any UEID
        K.flushUeids();
        assertThat(check().out()).contains("mode SMCD");

        assertThat(run("ueid", "add", UEID).rc()).isZero();
        Cli.Result off = run("seid", "disable");
        assertThat(off.rc()).as(off.err()).isZero();
        assertThat(off.out()).contains("SEID disabled");
        assertThat(run("seid", "show").out().strip()).isEqualTo("SEID " + seid + " [disabled]");
        assertThat(labtool("seid", "show")).contains("[disabled]");
        // the kernel now offers the UEID alone, and SMC-D still comes up over it
        assertThat(check().out()).contains("mode SMCD");
        assertThat(K.seid()).isEqualTo(new SeidState(java.util.Optional.of(seid), false));

        // removing the last UEID makes the kernel take the SEID back by itself
        assertThat(run("ueid", "del", UEID).rc()).isZero();
        assertThat(K.seid().enabled()).isTrue();
        assertThat(run("ueid", "add", UEID).rc()).isZero();
        assertThat(run("seid", "disable").rc()).isZero();
        Cli.Result on = run("seid", "enable");
        assertThat(on.rc()).as(on.err()).isZero();
        assertThat(run("seid", "show").out().strip()).isEqualTo("SEID " + seid + " [enabled]");
    }

    /** {@code smcctl check} against an independent AF_SMC listener (python, no project code). */
    private static Cli.Result check() throws Exception {
        Process listener = new ProcessBuilder("/usr/bin/python3", REPO.resolve("smcctl/src/test/lab/smc_listener.py").toString(),
                "smc").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            assertThat(line).as("listener").startsWith("port ");
            Cli.Result c = run("check", "127.0.0.1:" + line.substring(5).trim());
            assertThat(c.rc()).as(c.out() + c.err()).isZero();
            return c;
        } finally {
            listener.getOutputStream().close();
            listener.waitFor(1, TimeUnit.MINUTES);
            listener.destroyForcibly();
        }
    }

    private static String labtool(String... args) throws Exception {
        Path tool = REPO.resolve("deploy/lab/guest/labtool.py");
        assertThat(Files.exists(tool)).as(tool + " (LAB_REPO)").isTrue();
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/python3", tool.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
