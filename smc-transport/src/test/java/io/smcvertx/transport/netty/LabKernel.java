package io.smcvertx.transport.netty;

import io.smcvertx.transport.Smc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What the lab kernel says, for ITs: the SMC sockets smc_diag lists (one dump per call) and the
 * UEID table, through the lab's own {@code deploy/lab/guest/labtool.py}, an independent reader.
 */
final class LabKernel {

    /** One AF_SMC socket as smc_diag reports it. */
    record Sock(long inode, String state, String mode, long fallbackReason, long peerDiagnosis) {
        @Override
        public String toString() {
            return "inode " + inode + " " + mode + "/" + state + " fallback 0x" + Long.toHexString(fallbackReason)
                    + " peer diagnosis 0x" + Long.toHexString(peerDiagnosis);
        }
    }

    private static final Pattern NUMBER = Pattern.compile("\"(inode|fallback_reason|peer_diagnosis)\":\\s*(\\d+)");
    private static final Pattern STRING = Pattern.compile("\"(mode|state)\":\\s*\"([A-Z_0-9]+)\"");

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

    /** Every AF_SMC socket of this network namespace, by inode: one smc_diag dump. */
    static Map<Long, Sock> dump() throws IOException, InterruptedException {
        String json = run("diag", "--json");
        Map<Long, Sock> socks = new HashMap<>();
        int depth = 0;
        int start = -1;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '{' && depth++ == 0) {
                start = i;
            } else if (c == '}' && --depth == 0) {
                Sock s = parse(json.substring(start, i + 1));
                socks.put(s.inode(), s);
            }
        }
        return socks;
    }

    private static Sock parse(String object) {
        Map<String, String> f = new HashMap<>();
        Matcher m = NUMBER.matcher(object);
        while (m.find()) {
            f.put(m.group(1), m.group(2));
        }
        m = STRING.matcher(object);
        while (m.find()) {
            f.put(m.group(1), m.group(2));
        }
        return new Sock(Long.parseLong(f.getOrDefault("inode", "0")), f.get("state"), f.get("mode"),
                Long.parseLong(f.getOrDefault("fallback_reason", "0")), Long.parseLong(f.getOrDefault("peer_diagnosis", "0")));
    }

    static void ueid(String op, String name) throws IOException, InterruptedException {
        run("ueid", op, name);
    }

    static String ueids() throws IOException, InterruptedException {
        return run("ueid", "show").trim();
    }
}
