import io.smcvertx.cluster.internal.ed25519.Ed25519;
import io.smcvertx.cluster.internal.ed25519.JdkEd25519;
import io.smcvertx.cluster.internal.ed25519.LibCryptoEd25519;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Ed25519 side by side (not a test): the JDK's and libcrypto's, as the store uses them (a prepared
 * signer per key, a prepared verifier per trusted key, a one-shot verification for an enrolled
 * host key), in the same rounds, order rotated each round. Every subject runs twice per round
 * (the "#2" copy): copy / original is the A/A floor. Measure: this thread's CPU time per
 * operation (ThreadMXBean), so other processes' load moves it less than wall time.
 *
 * <p>Usage: {@code Ed25519Bench ROUNDS OPS_PER_BATCH MESSAGE_BYTES RESULTS_FILE}
 */
public final class Ed25519Bench {

    public static void main(String[] a) throws Exception {
        int rounds = Integer.parseInt(a[0]);
        int ops = Integer.parseInt(a[1]);
        int size = Integer.parseInt(a[2]);
        Path out = Path.of(a[3]);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Ed25519 jdk = new JdkEd25519();
        Ed25519 lib = LibCryptoEd25519.load();
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] msg = new byte[size];
        new SplittableRandom(1).nextBytes(msg);
        byte[] sig = jdk.signer(kp.getPrivate()).sign(msg);
        if (!Arrays.equals(sig, lib.signer(kp.getPrivate()).sign(msg))) {
            throw new IllegalStateException("the two implementations disagree: nothing to compare");
        }
        Map<String, Runnable> subjects = new LinkedHashMap<>();
        for (Ed25519 e : List.of(jdk, lib)) {
            Ed25519.Signer s = e.signer(kp.getPrivate());
            Ed25519.Verifier v = e.verifier(kp.getPublic());
            for (String copy : List.of("", "#2")) {
                subjects.put(e.name() + ".sign" + copy, () -> check(s.sign(msg).length == 64));
                subjects.put(e.name() + ".verify" + copy, () -> check(v.verify(msg, sig)));
                subjects.put(e.name() + ".verifyOnce" + copy, () -> check(e.verify(kp.getPublic(), msg, sig)));
            }
        }
        List<String> names = new ArrayList<>(subjects.keySet());
        Map<String, List<Double>> us = new LinkedHashMap<>();
        names.forEach(n -> us.put(n, new ArrayList<>()));
        String loadStart = Files.readString(Path.of("/proc/loadavg")).trim();
        int warmup = 3;
        for (int r = 0; r < warmup + rounds; r++) {
            for (int k = 0; k < names.size(); k++) {
                String n = names.get((k + r) % names.size());
                Runnable op = subjects.get(n);
                long c0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < ops; i++) {
                    op.run();
                }
                long c1 = mx.getCurrentThreadCpuTime();
                if (r >= warmup) {
                    us.get(n).add((c1 - c0) / 1000.0 / ops);
                }
            }
        }
        StringBuilder sb = new StringBuilder("# Ed25519: JDK vs libcrypto (FFM), CPU time per operation\n");
        sb.append("date: ").append(Instant.now()).append('\n');
        sb.append("java: ").append(Runtime.version()).append(", cpus: ").append(Runtime.getRuntime().availableProcessors()).append('\n');
        sb.append("jdk: ").append(jdk.detail()).append("\nlibcrypto: ").append(lib.detail()).append('\n');
        sb.append("load average at start: ").append(loadStart).append('\n');
        sb.append("load average at end:   ").append(Files.readString(Path.of("/proc/loadavg")).trim()).append('\n');
        sb.append(String.format("rounds: %d (after %d warm-up), %d operations per batch, %d-byte message%n", rounds, warmup, ops, size));
        sb.append("\nsubject                 median_us_cpu   min_us_cpu\n");
        for (String n : names) {
            double[] v = us.get(n).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            sb.append(String.format("%-22s %14.1f %12.1f%n", n, v[v.length / 2], v[0]));
        }
        sb.append("\nratio (median of per-round ratios)\n");
        for (String op : List.of("sign", "verify", "verifyOnce")) {
            sb.append(String.format("jdk/libcrypto %-10s %6.2f   A/A floor: jdk#2/jdk %.2f, libcrypto#2/libcrypto %.2f%n", op,
                    ratio(us, "jdk." + op, "libcrypto." + op), ratio(us, "jdk." + op + "#2", "jdk." + op),
                    ratio(us, "libcrypto." + op + "#2", "libcrypto." + op)));
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, sb.toString());
        System.out.print(sb);
        System.out.println("written to " + out.toAbsolutePath());
    }

    static double ratio(Map<String, List<Double>> us, String a, String b) {
        List<Double> x = us.get(a);
        List<Double> y = us.get(b);
        double[] r = new double[x.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = x.get(i) / y.get(i);
        }
        Arrays.sort(r);
        return r[r.length / 2];
    }

    static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("a signature did not sign or verify");
        }
    }
}
