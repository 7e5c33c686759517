package io.smcvertx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmcctlTest {

    private final FakeKernel kernel = new FakeKernel();

    Cli.Result run(String... args) {
        return Cli.run(kernel, args);
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        Cli.Result r = run("--help");
        assertThat(r.rc()).isZero();
        assertThat(r.out()).contains("info", "pnet", "ueid", "seid", "stats", "devices", "linkgroups", "ss", "check",
                "sysctl", "Exit codes:", "needs CAP_NET_ADMIN");
        for (String sub : new String[] {"info", "pnet", "ueid", "seid", "stats", "devices", "linkgroups", "ss", "check", "sysctl"}) {
            Cli.Result h = run(sub, "--help");
            assertThat(h.rc()).as(sub).isZero();
            assertThat(h.out()).as(sub).contains("Usage: smcctl " + sub);
        }
        assertThat(run("pnet", "add", "--help").out()).contains("--interface", "--device", "--port");
    }

    @Test
    void pnetLifecycleAndExitCodes() {
        assertThat(run("pnet", "add", "net1", "-I", "eth0").rc()).isZero();
        assertThat(run("pnet", "show", "--json").out().strip())
                .isEqualTo("[{\"pnetid\":\"NET1\",\"interface\":\"eth0\",\"device\":null,\"port\":null}]");
        Cli.Result dup = run("pnet", "add", "NET2", "-I", "eth0");
        assertThat(dup.rc()).isEqualTo(ExitCodes.NOT_FOUND_OR_EXISTS);
        assertThat(run("pnet", "del", "NET1").rc()).isZero();
        assertThat(run("pnet", "del", "NET1").rc()).isEqualTo(ExitCodes.NOT_FOUND_OR_EXISTS);
        assertThat(run("pnet", "add", "NET1").rc()).isEqualTo(ExitCodes.USAGE); // needs -I or -D
        Cli.Result bad = run("pnet", "add", "NET1", "-D", "mlx5_0", "-P", "3");
        assertThat(bad.rc()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("`devicePort`");
    }

    /** This build host's kernel has no SMC: `info` against it exits 3 and says why, with the probe's evidence. */
    @Test
    void infoOnAKernelWithoutSmcExitsThreeWithTheCauseAndItsEvidence() {
        org.junit.jupiter.api.Assumptions.assumeFalse(io.smcvertx.transport.Smc.isAvailable(), "this kernel has SMC");
        Cli.Result r = Cli.run(io.smcvertx.transport.system.SmcKernel.netlink(), "info");
        assertThat(r.rc()).isEqualTo(ExitCodes.SMC_UNAVAILABLE);
        assertThat(r.err()).contains("is the smc module loaded?")
                .contains("why: kernel has no SMC: socket(AF_SMC) -> EAFNOSUPPORT (97): ")
                .contains(io.smcvertx.transport.Smc.unavailabilityCause().getMessage());
    }

    @Test
    void invalidUeidNamesTheField() {
        Cli.Result r = run("ueid", "add", "a..b");
        assertThat(r.rc()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("`ueid`");
    }

    @Test
    void permissionErrorsExitFour() {
        kernel.writable = false;
        Cli.Result r = run("ueid", "add", "X1");
        assertThat(r.rc()).isEqualTo(ExitCodes.PERMISSION);
        assertThat(r.err()).contains("needs CAP_NET_ADMIN");
        assertThat(run("ueid", "show").rc()).isZero();
    }

    @Test
    void seidAndStatsResetAreHonestAboutTheKernel() {
        assertThat(run("seid", "enable").rc()).isEqualTo(ExitCodes.UNSUPPORTED);
        Cli.Result reset = run("stats", "reset");
        assertThat(reset.rc()).isEqualTo(ExitCodes.UNSUPPORTED);
        assertThat(reset.err()).contains("no way to reset");
        assertThat(run("stats", "--json").out()).startsWith("{\"smcd\":{\"clnt_v2_succ\":3,\"rx_bytes\":100}")
                .contains("\"code\":\"0x03010000\",\"name\":\"PEERNOSMC\"");
    }

    @Test
    void sysctlRangesAreCheckedBeforeWriting() {
        Cli.Result r = run("sysctl", "wmem=100");
        assertThat(r.rc()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("`net.smc.wmem` must be between 16384");
        assertThat(run("sysctl", "wmem=32768").rc()).isZero();
        assertThat(kernel.sysctls).containsEntry("wmem", "32768");
    }

    @Test
    void checkTargetParsing() {
        assertThat(CheckCommand.parse("127.0.0.1:80").getPort()).isEqualTo(80);
        assertThat(CheckCommand.parse("[::1]:8080").getAddress().isLoopbackAddress()).isTrue();
        Cli.Result r = run("check", "127.0.0.1");
        assertThat(r.rc()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("`HOST:PORT`");
        assertThat(run("check", "127.0.0.1:70000").err()).contains("`PORT` must be between 1 and 65535");
    }

    @Test
    void jsonEscaping() {
        assertThat(Json.write(java.util.Map.of("k", "a\"b\\\n"))).isEqualTo("{\"k\":\"a\\\"b\\\\\\n\"}");
    }
}
