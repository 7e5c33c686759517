package io.smcvertx.disni;

import com.ibm.disni.verbs.RdmaProvider;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The child JVM of {@link DisniReadinessProcessTest}: runs the readiness check under the flags
 * and library path the test chose, and touches DiSNI itself where the test wants to see what a
 * missing library does to a JVM.
 *
 * <pre>
 *   probe ADDRESS...                         one verdict per address
 *   probe-then-touch ADDRESS                 verdict; DiSNI touched twice; a fresh check's verdict
 *   touch-then-install LIBRARY DIR ADDRESS   DiSNI touched (DIR empty); LIBRARY copied into DIR; verdict
 * </pre>
 */
public final class ProbeChild {

    private ProbeChild() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "probe" -> {
                DisniReadiness readiness = DisniReadiness.create();
                for (int i = 1; i < args.length; i++) {
                    System.out.println("verdict " + readiness.check(v4(args[i])));
                }
            }
            case "probe-then-touch" -> {
                System.out.println("verdict " + DisniReadiness.create().check(v4(args[1])));
                touch(1);
                touch(2);
                System.out.println("after " + DisniReadiness.create().check(v4(args[1])));
            }
            case "touch-then-install" -> {
                touch(1);
                Files.copy(Path.of(args[1]), Path.of(args[2]).resolve("libdisni.so"), StandardCopyOption.REPLACE_EXISTING);
                System.out.println("verdict " + DisniReadiness.create().check(v4(args[3])));
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void touch(int n) {
        try {
            RdmaProvider.provider();
            System.out.println("touch " + n + ": DiSNI loaded");
        } catch (Throwable t) {
            System.out.println("touch " + n + ": " + t.getClass().getName() + ": " + t.getMessage());
        }
    }

    private static Inet4Address v4(String address) throws Exception {
        return (Inet4Address) InetAddress.getByName(address);
    }
}
