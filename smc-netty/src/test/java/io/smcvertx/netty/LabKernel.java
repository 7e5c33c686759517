package io.smcvertx.netty;

import io.smcvertx.transport.Smc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The lab's UEID table, changed through the lab's own {@code deploy/lab/guest/labtool.py} (the
 * project's Java generic-netlink client is another module's work), and the lab contract.
 */
final class LabKernel {

    private LabKernel() {
    }

    /** Lab contract (TEAM.md): fail in the lab, skip elsewhere, naming what is missing. */
    static void requireSmc() {
        if (!Smc.isAvailable()) {
            String missing = "needs kernel SMC: " + Smc.unavailabilityCause().getMessage();
            if (Boolean.getBoolean("smcvertx.lab")) {
                Assertions.fail(missing);
            }
            Assumptions.abort(missing);
        }
    }

    static Path labtool() {
        String explicit = System.getenv("SMCVERTX_LABTOOL");
        if (explicit != null) {
            return Path.of(explicit);
        }
        String repo = System.getenv("LAB_REPO");
        Path start = repo != null ? Path.of(repo) : Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path tool = p.resolve("deploy/lab/guest/labtool.py");
            if (Files.isRegularFile(tool)) {
                return tool;
            }
        }
        throw new IllegalStateException("deploy/lab/guest/labtool.py not found above " + start + " (set SMCVERTX_LABTOOL)");
    }

    static String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/python3", labtool().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(cmd + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static void ueid(String op, String name) throws IOException, InterruptedException {
        run("ueid", op, name);
    }

    static String ueids() throws IOException, InterruptedException {
        return run("ueid", "show").trim();
    }
}
