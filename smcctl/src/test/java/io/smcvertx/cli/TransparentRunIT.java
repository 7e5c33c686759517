package io.smcvertx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.bpf.Cgroups;
import io.smcvertx.bpf.SmcUpgrade;
import io.smcvertx.bpf.UpgradeView;
import io.smcvertx.bpf.testing.Witness;
import io.smcvertx.bpf.testing.Witness.Verdict;
import io.smcvertx.transport.system.SmcKernel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code smcctl run} in the lab kernel, with a static busybox {@code httpd} (which LD_PRELOAD
 * cannot reach) served to curl; the kernel's verdict per socket comes from smc_diag and
 * {@code /proc/net/tcp}, the owner of each socket from {@code /proc/PID/fd}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransparentRunIT {

    private static final String BUSYBOX = "/bin/busybox";
    private static final String CURL = "/usr/bin/curl";
    private static final int SIZE = 8 << 20;
    private static Cgroups cgroups;
    private static Path docroot;

    record Result(int rc, String out, String err) {
    }

    @BeforeAll
    static void lab() throws IOException {
        cgroups = Witness.requireLab();
        docroot = Witness.docroot(Path.of("/tmp/transparent-www"), SIZE);
    }

    static Result smcctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = SmcCtl.commandLine(() -> SmcKernel.netlink(Duration.ofSeconds(60)), new PrintWriter(out, true),
                new PrintWriter(err, true)).execute(args);
        return new Result(rc, out.toString(), err.toString());
    }

    /** Processes named {@code comm} whose cgroup v2 path satisfies {@code cgroup}. */
    static List<Long> procs(String comm, java.util.function.Predicate<String> cgroup) throws IOException {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ps = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : ps) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (Witness.comm(pid).equals(comm)
                        && Cgroups.ofProcess(Long.toString(pid)).filter(cgroup).isPresent()) {
                    out.add(pid);
                }
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void staticHttpdAndCurlUnderSmcctlRunAreSmcdAtBothEnds() throws Exception {
        int port = Witness.freePort(18080);
        Path got = Path.of("/tmp/transparent-got.bin");
        CompletableFuture<Result> server = CompletableFuture.supplyAsync(() -> smcctl("run", "-v", "--", BUSYBOX,
                "httpd", "-f", "-p", "127.0.0.1:" + port, "-h", docroot.toString()));
        assertThat(Witness.await(Duration.ofMinutes(3), () -> Witness.listening(port) || server.isDone()))
                .as("httpd listening on %d", port).isTrue();
        assertThat(server).as("httpd under smcctl run ended early").isNotDone();
        CompletableFuture<Result> client = CompletableFuture.supplyAsync(() -> smcctl("run", "-v", "--", CURL, "-s",
                "-o", got.toString(), "http://127.0.0.1:" + port + "/cgi-bin/slow?20"));
        AtomicReference<List<Verdict>> last = new AtomicReference<>(List.of());
        AtomicReference<String> status = new AtomicReference<>("");
        boolean both = Witness.await(Duration.ofMinutes(3), () -> {
            List<Long> pids = new ArrayList<>(procs("curl", c -> c.contains("/smcctl-run-")));
            pids.addAll(procs("busybox", c -> c.contains("/smcctl-run-")));
            List<Verdict> v = Witness.verdicts(pids);
            last.set(v);
            boolean curlSmcd = v.stream().anyMatch(x -> x.comm().equals("curl") && x.smcd() && !x.listener());
            boolean httpdSmcd = v.stream().anyMatch(x -> x.comm().equals("busybox") && x.smcd() && !x.listener());
            if (curlSmcd && httpdSmcd && status.get().isEmpty()) {
                status.set(smcctl("transparent", "status").out());
            }
            return (curlSmcd && httpdSmcd) || client.isDone();
        });
        List<Verdict> v = last.get();
        assertThat(both && v.stream().anyMatch(x -> x.comm().equals("curl") && x.smcd() && !x.listener()))
                .as("curl's connection is SMCD by smc_diag: %s", v).isTrue();
        assertThat(v.stream().anyMatch(x -> x.comm().equals("busybox") && x.smcd() && !x.listener()))
                .as("httpd's accepted connection is SMCD by smc_diag: %s", v).isTrue();
        assertThat(v.stream().anyMatch(x -> x.comm().equals("busybox") && x.listener())).as("httpd listens on an SMC socket: %s", v)
                .isTrue();
        // the system view while both upgrades were attached: two programs, each with its own run cgroup
        assertThat(status.get()).contains("attached, link").contains("/smcctl-run-").contains("java");

        Result c = client.get(10, TimeUnit.MINUTES);
        assertThat(c.rc()).as("curl's status through smcctl run; stderr: %s", c.err()).isZero();
        assertThat(Files.mismatch(got, docroot.resolve("big.bin"))).as("8 MiB arrived intact").isEqualTo(-1L);
        assertThat(Files.size(got)).isEqualTo(SIZE);
        assertThat(c.err()).contains("smcctl run: cgroup /").contains("program ");
        for (long pid : procs("busybox", cg -> cg.contains("/smcctl-run-"))) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
        Result s = server.get(5, TimeUnit.MINUTES);
        assertThat(s.rc()).as("httpd ended by SIGTERM: 128 + 15, passed through").isEqualTo(143);
        assertThat(procs("busybox", cg -> cg.contains("/smcctl-run-"))).isEmpty();
    }

    @Test
    @Order(2)
    void theSameWithoutSmcctlRunIsPlainTcp() throws Exception {
        int port = Witness.freePort(18180);
        Process httpd = new ProcessBuilder(BUSYBOX, "httpd", "-f", "-p", "127.0.0.1:" + port, "-h", docroot.toString())
                .inheritIO().start();
        try {
            assertThat(Witness.await(Duration.ofMinutes(2), () -> Witness.listening(port))).isTrue();
            Process curl = new ProcessBuilder(CURL, "-s", "-o", "/dev/null",
                    "http://127.0.0.1:" + port + "/cgi-bin/slow?20").inheritIO().start();
            AtomicReference<List<Verdict>> last = new AtomicReference<>(List.of());
            boolean seen = Witness.await(Duration.ofMinutes(2), () -> {
                List<Long> pids = new ArrayList<>(List.of(curl.pid()));
                httpd.descendants().forEach(d -> pids.add(d.pid()));
                pids.add(httpd.pid());
                List<Verdict> v = Witness.verdicts(pids);
                last.set(v);
                return v.stream().anyMatch(x -> x.pid() == curl.pid() && x.tcp())
                        && v.stream().filter(x -> x.pid() != curl.pid() && x.tcp()).count() >= 2;
            });
            List<Verdict> v = last.get();
            assertThat(seen).as("curl's and httpd's TCP sockets seen: %s", v).isTrue();
            // curl's other sockets are its own AF_UNIX pair (wake-ups): neither TCP nor SMC, and none is SMC
            assertThat(v).as("not even an SMC socket without smcctl run").allSatisfy(x -> assertThat(x.smc()).isEmpty());
            curl.destroy(); // seen: no need to wait for the CGI's delay
            curl.waitFor(60, TimeUnit.SECONDS);
        } finally {
            httpd.destroy();
            httpd.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(3)
    void exitStatusIsPassedThrough() {
        assertThat(smcctl("run", "--", "/bin/sh", "-c", "exit 7").rc()).isEqualTo(7);
        assertThat(smcctl("run", "/bin/sh", "-c", "exit 0").rc()).isZero();
    }

    @Test
    @Order(4)
    void afterDetachNewSocketsArePlainAgain() throws Exception {
        String cg = cgroups.create("/", "transparent-detach-it");
        int before = Witness.freePort(18280);
        int after = Witness.freePort(before + 1);
        Process first = null;
        Process second = null;
        try {
            SmcUpgrade upgrade = SmcUpgrade.attach();
            int programId = upgrade.programId();
            try {
                upgrade.select(cgroups.id(cg));
                first = inCgroup(cg, BUSYBOX, "httpd", "-f", "-p", "127.0.0.1:" + before, "-h", docroot.toString());
                int p1 = before;
                assertThat(Witness.await(Duration.ofMinutes(2), () -> Witness.listening(p1))).isTrue();
            } finally {
                upgrade.close();
            }
            second = inCgroup(cg, BUSYBOX, "httpd", "-f", "-p", "127.0.0.1:" + after, "-h", docroot.toString());
            int p2 = after;
            assertThat(Witness.await(Duration.ofMinutes(2), () -> Witness.listening(p2))).isTrue();
            List<Verdict> v1 = Witness.verdicts(List.of(first.pid()));
            List<Verdict> v2 = Witness.verdicts(List.of(second.pid()));
            assertThat(v1).as("made while attached: an SMC listener, and it stays one").anyMatch(x -> x.listener());
            assertThat(v2).as("made after the detach, same cgroup: plain TCP").isNotEmpty()
                    .allSatisfy(x -> assertThat(x.smc()).isEmpty()).anyMatch(Verdict::tcp);
            assertThat(Witness.await(Duration.ofMinutes(1),
                    () -> UpgradeView.scan(Optional.empty()).stream().noneMatch(u -> u.programId() == programId)))
                    .as("program %d released by the kernel", programId).isTrue();
        } finally {
            for (Process p : new Process[] {first, second}) {
                if (p != null) {
                    p.destroy();
                    p.waitFor(60, TimeUnit.SECONDS);
                }
            }
            Witness.await(Duration.ofSeconds(30), () -> cgroups.processes(cg).isEmpty());
            cgroups.remove(cg);
        }
    }

    /** Starts a command in a cgroup the way smcctl run does: the shell joins it, then execs. */
    static Process inCgroup(String cg, String... cmd) throws IOException {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"",
                cgroups.dir(cg).toString()));
        argv.addAll(List.of(cmd));
        return new ProcessBuilder(argv).inheritIO().start();
    }
}
