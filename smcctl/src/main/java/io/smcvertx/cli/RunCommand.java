package io.smcvertx.cli;

import io.smcvertx.bpf.Cgroups;
import io.smcvertx.bpf.SmcUpgrade;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code smcctl run [--] CMD ARGS...}: like smc-tools' {@code smc_run}, without LD_PRELOAD. A
 * fresh cgroup v2 child is made and selected for the upgrade ({@link SmcUpgrade}); CMD starts in it
 * through {@code sh -c 'echo $$ > CGROUP/cgroup.procs && exec "$@"'}, so it is in the cgroup before
 * it makes any socket (Java cannot move a child between fork and exec). CMD and everything it
 * starts make SMC sockets where they asked for TCP, static binaries included. The exit status is
 * CMD's ({@code 128 + signal} when a signal ended it).
 *
 * <p>The upgrade lives as long as this process: processes of CMD's that outlive it keep their
 * sockets, but new ones are plain TCP again. The cgroup is removed when it is empty.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run CMD so that it and its children create SMC sockets where they ask for TCP (like smc_run, "
                + "but through a BPF program on the kernel's socket path: static binaries and programs that do not "
                + "use libc's socket() too). Needs cgroup v2, Linux 6.11+ with SMC, BTF, CAP_BPF + CAP_PERFMON.",
            "Exit status: CMD's; smcctl's own codes (below) only when CMD could not be started."})
final class RunCommand implements Callable<Integer> {

    /** Several runs in one JVM (tests, embedding) get cgroups of their own. */
    private static final AtomicInteger RUNS = new AtomicInteger();

    @ParentCommand
    SmcCtl root;

    @Option(names = "--parent", paramLabel = "CGROUP",
            description = "cgroup v2 path below which CMD's cgroup is made (default: smcctl's own cgroup).")
    String parent;

    @Option(names = {"-v", "--verbose"}, description = "Say on stderr which cgroup and program were used.")
    boolean verbose;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments.")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Cgroups cgroups = Cgroups.system();
        String parentPath = parent != null ? parent : Cgroups.ofProcess("self").orElseThrow(() -> new IOException(
                "cannot tell smcctl's own cgroup v2 (no 0:: line in /proc/self/cgroup); give --parent"));
        try (SmcUpgrade upgrade = SmcUpgrade.attach()) {
            String cgroup = cgroups.create(parentPath, "smcctl-run-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet());
            try {
                upgrade.select(cgroups.id(cgroup));
                if (verbose) {
                    root.err().println("smcctl run: cgroup " + cgroup + " (id " + cgroups.id(cgroup) + "), "
                            + upgrade.describe());
                }
                return runIn(cgroups, cgroup);
            } finally {
                cleanUp(cgroups, cgroup);
            }
        }
    }

    private int runIn(Cgroups cgroups, String cgroup) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"",
                cgroups.dir(cgroup).toString()));
        argv.addAll(command);
        Process child = new ProcessBuilder(argv).inheritIO().start();
        // SIGTERM to smcctl alone must not leave CMD running without its upgrade: pass it on
        Thread hook = new Thread(() -> {
            child.destroy();
            try {
                child.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "smcctl-run-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return child.waitFor();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    private void cleanUp(Cgroups cgroups, String cgroup) {
        try {
            List<Long> left = cgroups.processes(cgroup);
            if (!left.isEmpty()) {
                root.err().println("smcctl run: " + left.size() + " process(es) of CMD still run in " + cgroup + " "
                        + left + "; their new sockets are plain TCP from now on (the upgrade ends with smcctl)");
                return;
            }
            cgroups.remove(cgroup);
        } catch (IOException e) {
            root.err().println("smcctl run: cannot remove " + cgroup + ": " + e.getMessage());
        }
    }
}
