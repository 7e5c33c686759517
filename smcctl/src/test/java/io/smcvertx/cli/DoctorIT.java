package io.smcvertx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.Ueid;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code smcctl doctor} against the lab kernel, breaking one setting at a time and seeing doctor
 * name it (status, check, subject, fix), then restoring it. The RoCE device is Soft-RoCE (rxe9)
 * on the guest's second NIC, an e1000e (run-in-vm.sh --nic2 e1000e), because its driver has
 * pause settings to switch off; they are switched with the lab's python labtool over ethtool's
 * netlink family, the same interface doctor reads, but not doctor's code.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DoctorIT {

    private static final SmcKernel K = SmcKernel.netlink(Duration.ofSeconds(60));
    private static final String RXE = "rxe9";
    private static String nic;
    private static List<Ueid> savedUeids;

    record Result(int rc, String out) {
        /** The line of one finding: "STATUS CHECK SUBJECT summary". */
        String line(String check, String subject) {
            return out.lines().filter(l -> l.matches("^(OK|INFO|WARN|FAIL)\\s+" + java.util.regex.Pattern.quote(check)
                    + "\\s+" + java.util.regex.Pattern.quote(subject) + "\\s.*")).findFirst()
                    .orElseThrow(() -> new AssertionError("no finding " + check + " " + subject + " in:\n" + out));
        }
    }

    static Result doctor() {
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out, true);
        int rc = SmcCtl.commandLine(() -> K, w, w).execute("doctor", "--host", "doctor-it");
        System.out.println("$ smcctl doctor (rc " + rc + ")\n" + out);
        return new Result(rc, out.toString());
    }

    static String sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        }
        return out.strip();
    }

    /** A sysctl in one read: proc's integer handlers answer only at offset 0 (Files.readString starts with 1 byte). */
    static String proc(Path p) throws Exception {
        try (var in = Files.newInputStream(p)) {
            return new String(in.readNBytes(4096), StandardCharsets.US_ASCII).strip();
        }
    }

    static String labtool(String... args) throws Exception {
        String repo = System.getenv().getOrDefault("LAB_REPO", Path.of("..").toAbsolutePath().normalize().toString());
        String[] cmd = new String[args.length + 2];
        cmd[0] = "/usr/bin/python3";
        cmd[1] = repo + "/deploy/lab/guest/labtool.py";
        System.arraycopy(args, 0, cmd, 2, args.length);
        return sh(cmd);
    }

    /** The interface whose driver is e1000e, if the guest has one. */
    static String e1000e() throws Exception {
        try (var ds = Files.newDirectoryStream(Path.of("/sys/class/net"))) {
            for (Path p : ds) {
                Path driver = p.resolve("device/driver");
                if (Files.exists(driver) && Files.readSymbolicLink(driver).getFileName().toString().equals("e1000e")) {
                    return p.getFileName().toString();
                }
            }
        }
        return null;
    }

    @BeforeAll
    static void setUp() throws Exception {
        savedUeids = SmcctlIT.ueidsOrSkip(K);
        sh("modprobe", "e1000e");
        for (int i = 0; i < 50 && (nic = e1000e()) == null; i++) {
            Thread.sleep(200);
        }
        if (nic == null && Boolean.getBoolean("smcvertx.lab")) {
            Assertions.fail("no e1000e NIC in the guest: run the lab ITs with run-in-vm.sh --nic2 e1000e (test-all.sh does)");
        }
        Assumptions.assumeTrue(nic != null, "needs an e1000e NIC (run-in-vm.sh --nic2 e1000e)");
        sh("modprobe", "rdma_rxe");
        sh("ip", "addr", "add", "10.77.0.1/24", "dev", nic);
        sh("ip", "link", "set", nic, "up");
        sh("rdma", "link", "add", RXE, "type", "rxe", "netdev", nic);
        labtool("pause", nic, "--set", "on");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (savedUeids != null) {
            K.flushUeids();
            for (Ueid u : savedUeids) {
                K.addUeid(u);
            }
        }
        if (nic != null) {
            new ProcessBuilder("rdma", "link", "delete", RXE).start().waitFor(60, TimeUnit.SECONDS);
            new ProcessBuilder("ip", "link", "set", nic, "down").start().waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(1)
    void aSetUpHostPassesAndShowsItsRoceDevice() {
        Result r = doctor();
        assertThat(r.line("module.smc", "smc")).startsWith("OK");
        assertThat(r.line("module.smc_diag", "smc_diag")).startsWith("OK");
        assertThat(r.line("loopback-ism", "loopback-ism")).startsWith("OK");
        assertThat(r.line("eid.ueid", "host")).startsWith("OK");
        assertThat(r.line("pause", nic)).startsWith("OK");
        assertThat(r.line("pnet", RXE + "/1")).startsWith("OK").contains("pairs with " + nic);
        // no carrier on a NIC without a peer: the port is DOWN, and doctor says what that means
        assertThat(r.line("rdma.port", RXE + "/1")).contains(RXE);
        assertThat(r.out()).doesNotContain("FAIL ");
        assertThat(r.rc()).isZero();
    }

    @Test
    @Order(2)
    void noUeidIsAFailure() throws Exception {
        K.flushUeids();
        try {
            Result r = doctor();
            assertThat(r.line("eid.ueid", "host")).startsWith("FAIL").contains("0x03030008");
            assertThat(r.out()).contains("fix: smcctl ueid add");
            assertThat(r.rc()).isEqualTo(ExitCodes.DOCTOR_FAILED);
        } finally {
            for (Ueid u : savedUeids) {
                K.addUeid(u);
            }
        }
        assertThat(doctor().line("eid.ueid", "host")).startsWith("OK");
    }

    @Test
    @Order(3)
    void pauseFramesOffIsAFailureNamingTheInterface() throws Exception {
        assertThat(labtool("pause", nic, "--set", "off")).contains("rx off tx off");
        try {
            Result r = doctor();
            assertThat(r.line("pause", nic)).startsWith("FAIL").contains("pause frames are off on " + nic);
            assertThat(r.out()).contains("fix: ethtool -A " + nic + " rx on tx on");
            assertThat(r.rc()).isEqualTo(ExitCodes.DOCTOR_FAILED);
        } finally {
            labtool("pause", nic, "--set", "on");
        }
        assertThat(doctor().line("pause", nic)).startsWith("OK");
    }

    @Test
    @Order(4)
    void aPnetIdOnTheInterfaceButNotOnTheRoceDeviceIsAFailure() throws Exception {
        assertThat(SmcctlIT.run("pnet", "add", "NETDOC", "-I", nic).rc()).isZero();
        try {
            Result r = doctor();
            assertThat(r.line("pnet", RXE + "/1")).startsWith("FAIL").contains(nic + " has PNET ID NETDOC but " + RXE + "/1 has none");
            assertThat(r.out()).contains("fix: smcctl pnet add NETDOC -D " + RXE + " -P 1");
        } finally {
            SmcctlIT.run("pnet", "del", "NETDOC");
        }
        assertThat(doctor().line("pnet", RXE + "/1")).startsWith("OK");
    }

    @Test
    @Order(5)
    void handshakeLimitationAndSmallBuffersAreWarnings() throws Exception {
        String wmem = K.sysctl("wmem").orElseThrow();
        String rmemMax = proc(Path.of("/proc/sys/net/core/rmem_max"));
        K.setHandshakeLimitation(true);
        K.setSysctl("wmem", "16384");
        Files.writeString(Path.of("/proc/sys/net/core/rmem_max"), "4096\n");
        try {
            Result r = doctor();
            assertThat(r.line("handshake-limitation", "net.smc.limit_smc_hs")).startsWith("WARN");
            assertThat(r.line("sysctl.wmem", "net.smc.wmem")).startsWith("WARN").contains("16384");
            assertThat(r.line("sysctl.rmem_max", "net.core.rmem_max")).startsWith("WARN").contains("4096");
            assertThat(r.out()).contains("fix: smcctl sysctl limit_smc_hs=0", "fix: smcctl sysctl wmem=65536",
                    "fix: sysctl -w net.core.rmem_max=1048576");
        } finally {
            K.setHandshakeLimitation(false);
            K.setSysctl("wmem", wmem);
            Files.writeString(Path.of("/proc/sys/net/core/rmem_max"), rmemMax + "\n");
        }
        Result after = doctor();
        assertThat(after.line("handshake-limitation", "net.smc.limit_smc_hs")).startsWith("OK");
        assertThat(after.line("sysctl.wmem", "net.smc.wmem")).startsWith("OK");
    }

    @Test
    @Order(6)
    void withoutSmcDiagDoctorFailsAndSaysHowToLoadIt() throws Exception {
        // rmmod, not modprobe -r: that also unloads smc when nothing holds it, and the UEID table with it
        sh("rmmod", "smc_diag");
        try {
            Result r = doctor();
            assertThat(r.line("module.smc_diag", "smc_diag")).startsWith("FAIL");
            assertThat(r.out()).contains("fix: modprobe smc_diag");
            assertThat(r.rc()).isEqualTo(ExitCodes.DOCTOR_FAILED);
        } finally {
            sh("modprobe", "smc_diag");
        }
        assertThat(doctor().line("module.smc_diag", "smc_diag")).startsWith("OK");
    }
}
