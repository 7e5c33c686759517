package io.smcvertx.disni;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the host tests build and start: the project's libdisni compiled with the host's gcc
 * (the lab builds it the same way, with the same script), and child JVMs, because a JVM whose
 * DiSNI failed to load its library stays broken and the surefire JVM must not be that one.
 */
public final class HostBuild {

    /** smc-disni/ (surefire runs with the module as working directory). */
    public static final Path MODULE = Path.of("").toAbsolutePath();
    public static final Path BUILD_SCRIPT = MODULE.resolve("src/main/native/build-libdisni.sh");
    public static final Path SOURCE = MODULE.resolve("src/main/native/libdisni.c");
    private static Path built;

    private HostBuild() {
    }

    /** The rdma-core headers the library needs; without them (a machine .ci/run did not set up) the test is skipped. */
    public static void assumeToolchain() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "no gcc on this host");
        assumeTrue(Files.isRegularFile(Path.of("/usr/include/infiniband/verbs.h"))
                        && Files.isRegularFile(Path.of("/usr/include/rdma/rdma_cma.h")),
                "no rdma-core headers: apt-get install libibverbs-dev librdmacm-dev (deploy/lab/setup.sh and .ci/run do)");
    }

    /** target/host-libdisni/libdisni.so, built once per JVM with build-libdisni.sh. */
    public static synchronized Path libdisni() throws Exception {
        assumeToolchain();
        if (built == null) {
            Path out = MODULE.resolve("target/host-libdisni");
            Result r = run(List.of("bash", BUILD_SCRIPT.toString(), out.toString()), Map.of());
            if (r.rc() != 0) {
                throw new AssertionError("build-libdisni.sh failed (rc " + r.rc() + "): " + r.err() + r.out());
            }
            built = out.resolve("libdisni.so");
        }
        return built;
    }

    /** Runs a command; its output, fully read. */
    public static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.complete("stderr unreadable: " + e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("still running after 5 minutes: " + command);
        }
        return new Result(p.exitValue(), out, err.join());
    }

    /**
     * Starts {@code mainClass} in a new JVM with exactly {@code jvmFlags} (no project default
     * flags), on a class path with this module, its tests, DiSNI and slf4j-api
     * (no provider: slf4j says so once on stderr and DiSNI's INFO lines are dropped).
     */
    public static Result java(List<String> jvmFlags, Class<?> mainClass, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", classPath(mainClass), mainClass.getName()));
        cmd.addAll(List.of(args));
        return run(cmd, Map.of());
    }

    /**
     * Starts {@code module/mainClass} in a new JVM on the module path: this module, smc-transport
     * (Netty-free), DiSNI's jar (the automatic module {@code disni}) and slf4j-api.
     */
    public static Result javaModule(List<String> jvmFlags, String module, String mainClass, String... args) throws Exception {
        String path = Stream.of("io.smcvertx.disni.DisniReadiness", "io.smcvertx.transport.Smc", "com.ibm.disni.verbs.RdmaCm",
                        "org.slf4j.LoggerFactory")
                .map(HostBuild::location).distinct().collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "--module-path", path,
                "-m", module + "/" + mainClass));
        cmd.addAll(List.of(args));
        return run(cmd, Map.of());
    }

    private static String location(String className) {
        try {
            return Class.forName(className, false, HostBuild.class.getClassLoader())
                    .getProtectionDomain().getCodeSource().getLocation().getPath();
        } catch (ClassNotFoundException e) {
            throw new AssertionError("not on the test class path: " + className, e);
        }
    }

    private static String classPath(Class<?> mainClass) throws ClassNotFoundException {
        return Stream.of(mainClass, DisniReadiness.class, Class.forName("com.ibm.disni.verbs.RdmaCm"),
                        org.slf4j.LoggerFactory.class)
                .map(c -> c.getProtectionDomain().getCodeSource().getLocation().getPath())
                .distinct().collect(Collectors.joining(File.pathSeparator));
    }

    /** A finished process. */
    public record Result(int rc, String out, String err) {
        @Override
        public String toString() {
            return "rc=" + rc + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
