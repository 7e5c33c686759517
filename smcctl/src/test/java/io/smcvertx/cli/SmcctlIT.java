package io.smcvertx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.Ueid;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * smcctl against the lab kernel. Commands run in-process (one JVM per IT run is the lab's
 * budget); the permission test runs smcctl as user nobody in a second JVM. Independent
 * witnesses: the lab's python labtool (smc_diag) and a python AF_SMC listener.
 */
class SmcctlIT {

    private static final SmcKernel K = SmcKernel.netlink(Duration.ofSeconds(60));
    private static final Path REPO = findRepo();
    private static List<Ueid> savedUeids;

    static Cli.Result run(String... args) {
        return Cli.run(K, args);
    }

    @BeforeAll
    static void kernelSmc() {
        savedUeids = ueidsOrSkip(K);
    }

    /** The kernel's UEIDs (to restore later); in the lab a kernel without SMC fails the class, elsewhere skips it. */
    static List<Ueid> ueidsOrSkip(SmcKernel kernel) {
        try {
            return kernel.ueids();
        } catch (Exception e) {
            if (Boolean.getBoolean("smcvertx.lab")) {
                Assertions.fail("the lab guest has no SMC netlink: " + e.getMessage());
            }
            Assumptions.abort("needs kernel SMC: " + e.getMessage());
            return List.of();
        }
    }

    @AfterAll
    static void restoreUeids() throws Exception {
        if (savedUeids != null) {
            K.flushUeids();
            for (Ueid u : savedUeids) {
                K.addUeid(u);
            }
        }
    }

    @Test
    void pnetCommands() {
        assertThat(run("pnet", "add", "clinet1", "-I", "lo").rc()).isZero();
        Cli.Result show = run("pnet", "show", "--json");
        assertThat(show.out()).contains("\"pnetid\":\"CLINET1\"").contains("\"interface\":\"lo\"");
        assertThat(run("pnet", "show", "CLINET1").out()).contains("CLINET1");
        Cli.Result dup = run("pnet", "add", "CLINET2", "--interface", "lo");
        assertThat(dup.rc()).isEqualTo(ExitCodes.NOT_FOUND_OR_EXISTS);
        assertThat(dup.err()).contains("already has a PNET ID");
        assertThat(run("pnet", "del", "CLINET1").rc()).isZero();
        assertThat(run("pnet", "show", "CLINET1").rc()).isEqualTo(ExitCodes.NOT_FOUND_OR_EXISTS);
        assertThat(run("pnet", "del", "CLINET1").rc()).isEqualTo(ExitCodes.NOT_FOUND_OR_EXISTS);
        assertThat(run("pnet", "add", "CLINET1", "-I", "lo").rc()).isZero();
        assertThat(run("pnet", "flush").rc()).isZero();
        assertThat(run("pnet", "show", "--json").out().strip()).isEqualTo("[]");
        Cli.Result bad = run("pnet", "add", "bad-id!", "-I", "lo");
        assertThat(bad.rc()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("`pnetId`");
    }

    @Test
    void ueidSeidInfoStatsDevicesLinkgroups() {
        assertThat(run("ueid", "flush").rc()).isZero();
        assertThat(run("ueid", "add", "cli-one").rc()).isZero();
        assertThat(run("ueid", "show", "--json").out().strip()).isEqualTo("[\"CLI-ONE\"]");
        assertThat(run("ueid", "del", "CLI-ONE").rc()).isZero();
        assertThat(run("ueid", "del", "CLI-ONE").err()).contains("UEID CLI-ONE not found");
        Cli.Result seid = run("seid", "enable");
        assertThat(seid.rc()).isEqualTo(ExitCodes.UNSUPPORTED);
        assertThat(seid.err()).contains("the SEID exists only on IBM Z");
        assertThat(run("seid", "show", "--json").out()).contains("\"enabled\":false");
        Cli.Result info = run("info", "--json");
        assertThat(info.rc()).isZero();
        assertThat(info.out()).contains("\"smc_version\":2").contains("\"smcd_v2_capable\":true").contains("\"sysctls\":{");
        Cli.Result stats = run("stats", "--json");
        assertThat(stats.out()).contains("\"smcd\":{").contains("\"clnt_v2_succ\":").contains("\"fallbacks\":{");
        Cli.Result reset = run("stats", "reset");
        assertThat(reset.rc()).isEqualTo(ExitCodes.UNSUPPORTED);
        assertThat(reset.err()).contains("offers no way to reset");
        assertThat(run("devices", "--json").out().strip()).isEqualTo("[]");
        assertThat(run("linkgroups", "--json").rc()).isZero();
        assertThat(run("sysctl", "wmem").out()).contains("net.smc.wmem = ");
        assertThat(run("sysctl", "wmem=12").err()).contains("`net.smc.wmem`");
    }

    @Test
    void ueidAddMakesANoueidConnectionComeUpSmcdAndSsAndCheckAgreeWithTheKernel() throws Exception {
        assertThat(run("ueid", "flush").rc()).isZero();
        Process listener = python(REPO.resolve("smcctl/src/test/lab/smc_listener.py").toString(), "smc");
        try {
            int port = port(listener);
            Cli.Result before = run("check", "127.0.0.1:" + port);
            assertThat(before.rc()).isEqualTo(ExitCodes.CHECK_FALLBACK);
            assertThat(before.out()).contains("FALLBACK_TCP").contains("NOUEID").contains("add a common UEID");
            assertThat(run("ueid", "add", "SMCVERTX-CLI-IT").rc()).isZero();
            Cli.Result after = run("check", "--json", "127.0.0.1:" + port);
            assertThat(after.rc()).isZero();
            assertThat(after.out()).contains("\"mode\":\"SMCD\"");
            // ss and an independent reader see the same sockets with the same modes
            String ours = run("ss", "-a", "--json").out();
            String theirs = new String(python(REPO.resolve("deploy/lab/guest/labtool.py").toString(), "diag", "--json")
                    .getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            java.util.Map<String, String> kernel = modes(theirs, "\"inode\":\\s*(\\d+)", "\"mode\":\\s*\"(\\w+)\"");
            java.util.Map<String, String> ourMap = modes(ours, "\"inode\":(\\d+)", "\"mode\":\"(\\w+)\"");
            java.util.Set<String> common = new java.util.HashSet<>(kernel.keySet());
            common.retainAll(ourMap.keySet());
            // the python listener holds both accepted connections: they are in both dumps
            assertThat(common).hasSizeGreaterThanOrEqualTo(2);
            for (String inode : common) {
                assertThat(ourMap.get(inode)).as("mode of inode " + inode).isEqualTo(kernel.get(inode));
            }
            assertThat(ourMap.values()).contains("SMCD", "FALLBACK_TCP");
        } finally {
            listener.getOutputStream().close();
            listener.waitFor(1, TimeUnit.MINUTES);
            listener.destroyForcibly();
        }
        Process tcp = python(REPO.resolve("smcctl/src/test/lab/smc_listener.py").toString(), "tcp");
        try {
            Cli.Result r = run("check", "127.0.0.1:" + port(tcp));
            assertThat(r.rc()).isEqualTo(ExitCodes.CHECK_FALLBACK);
            assertThat(r.out()).contains("0x03010000 PEERNOSMC");
        } finally {
            tcp.getOutputStream().close();
            tcp.waitFor(1, TimeUnit.MINUTES);
            tcp.destroyForcibly();
        }
        assertThat(run("check", "127.0.0.1:1").rc()).isEqualTo(ExitCodes.CHECK_CONNECT_FAILED);
    }

    @Test
    void nobodyCanReadButNotWrite() throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        // the JUnit launcher loads classes through its own loader, so java.class.path is not the test's
        // class path: the lab harness passes the full one; elsewhere, name the locations smcctl needs
        String cp = System.getProperty("smcvertx.lab.classpath", java.util.stream.Stream.of(NobodyRunner.class,
                        SmcCtl.class, SmcKernel.class, picocli.CommandLine.class,
                        io.smcvertx.cli.cluster.ClusterCommand.class, io.smcvertx.cluster.FleetConfig.class,
                        com.hazelcast.core.HazelcastInstance.class)
                .map(c -> c.getProtectionDomain().getCodeSource().getLocation().getPath())
                .distinct().collect(java.util.stream.Collectors.joining(File.pathSeparator)));
        List<String> cmd = List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", javaBin,
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", cp, NobodyRunner.class.getName(), "ueid add NOBODY-TRY", "ueid show", "pnet flush", "stats");
        Cli.Result r = exec(cmd);
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).contains("ueid add NOBODY-TRY rc=" + ExitCodes.PERMISSION + " ")
                .contains("ueid show rc=0 ")
                .contains("pnet flush rc=" + ExitCodes.PERMISSION + " ")
                .contains("stats rc=0 ");
        assertThat(r.out().lines().filter(l -> l.contains("rc=4")))
                .hasSize(2).allSatisfy(l -> assertThat(l).contains("needs CAP_NET_ADMIN"));
        assertThat(K.ueids()).doesNotContain(Ueid.of("NOBODY-TRY"));
    }

    private static Cli.Result exec(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(new File("/")).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Cli.Result(p.exitValue(), out, err);
    }

    private static java.util.Map<String, String> modes(String json, String inodeRe, String modeRe) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        Matcher i = Pattern.compile(inodeRe).matcher(json);
        int from = 0;
        while (i.find(from)) {
            // each object holds one inode and one mode; pair the mode nearest to the inode
            int start = json.lastIndexOf('{', i.start());
            int end = json.indexOf('}', i.end());
            String obj = json.substring(start, Math.max(end, i.end()));
            Matcher mm = Pattern.compile(modeRe).matcher(obj);
            if (mm.find()) {
                out.put(i.group(1), mm.group(1));
            }
            from = i.end();
        }
        return out;
    }

    private static Process python(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static int port(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null || !line.startsWith("port ")) {
            throw new IllegalStateException("listener did not start: " + line);
        }
        return Integer.parseInt(line.substring(5).trim());
    }

    private static Path findRepo() {
        Path p = Path.of("").toAbsolutePath();
        String env = System.getenv("LAB_REPO");
        if (env != null) {
            return Path.of(env);
        }
        while (p != null && !Files.exists(p.resolve("smcctl/src/test/lab/smc_listener.py"))) {
            p = p.getParent();
        }
        return p == null ? Path.of("").toAbsolutePath() : p;
    }
}
