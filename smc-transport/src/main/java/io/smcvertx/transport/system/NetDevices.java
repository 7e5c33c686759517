package io.smcvertx.transport.system;

import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.internal.netlink.EthtoolPause;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Network interfaces as SMC needs to know them: names by ifindex (the kernel's SMC replies
 * carry ifindexes) from sysfs, and pause settings from ethtool's generic netlink family.
 * Reads need no privileges. Calls block for a netlink round trip: never on an event loop.
 */
public final class NetDevices {

    private final Path sysRoot;
    private final Duration timeout;

    private NetDevices(Path sysRoot, Duration timeout) {
        this.sysRoot = Objects.requireNonNull(sysRoot, "`sysRoot` must not be `null`");
        this.timeout = Objects.requireNonNull(timeout, "`timeout` must not be `null`");
    }

    /** This host's interfaces ({@code /sys}, netlink with {@link SmcKernel#DEFAULT_TIMEOUT}). */
    public static NetDevices system() {
        return new NetDevices(Path.of("/sys"), SmcKernel.DEFAULT_TIMEOUT);
    }

    /** Interfaces under another sysfs root (tests); pause queries still go to the kernel. */
    public static NetDevices at(Path sysRoot, Duration timeout) {
        return new NetDevices(sysRoot, timeout);
    }

    /** Interface name by ifindex, read from {@code class/net/NAME/ifindex}. */
    public Map<Integer, String> names() {
        Map<Integer, String> out = new TreeMap<>();
        Path base = sysRoot.resolve("class/net");
        if (!Files.isDirectory(base)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(base)) {
            for (Path p : ds) {
                readInt(p.resolve("ifindex")).ifPresent(i -> out.put(i, p.getFileName().toString()));
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** The driver of an interface ({@code device/driver} link), e.g. virtio_net; empty for virtual ones. */
    public Optional<String> driver(String ifname) {
        try {
            return Optional.of(Files.readSymbolicLink(sysRoot.resolve("class/net/" + ifname + "/device/driver"))
                    .getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The interface's pause settings ({@code ethtool -a}, over netlink). Fails with the kernel's
     * errno: EOPNOTSUPP when the driver has no pause settings, ENODEV when there is no such interface.
     */
    public PauseParameters pause(String ifname) throws SmcNativeException {
        Objects.requireNonNull(ifname, "`ifname` must not be `null`");
        return EthtoolPause.get(ifname, timeout);
    }

    private static Optional<Integer> readInt(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return Optional.of(Integer.parseInt(new String(in.readNBytes(64), StandardCharsets.US_ASCII).strip()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
