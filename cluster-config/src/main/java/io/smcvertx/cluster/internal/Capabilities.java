package io.smcvertx.cluster.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads this process's effective capabilities from /proc (no native call needed for that). */
public final class Capabilities {

    static final int CAP_NET_ADMIN = 12;

    private Capabilities() {
    }

    /** True when CapEff has CAP_NET_ADMIN; false when it lacks it or /proc cannot tell. */
    public static boolean hasNetAdmin() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (caps & (1L << CAP_NET_ADMIN)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }
}
