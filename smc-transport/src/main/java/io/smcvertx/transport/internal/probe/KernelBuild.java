package io.smcvertx.transport.internal.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Why {@code socket(AF_SMC)} says EAFNOSUPPORT, answered from what the kernel was built with and
 * what is installed, read where a Debian system keeps it: {@code /boot/config-<release>} (written
 * by the image package), {@code /lib/modules/<release>/config} (the 6.18+ split packages keep it
 * there), {@code /proc/config.gz} (kernels with CONFIG_IKCONFIG_PROC), and the module tree
 * {@code /lib/modules/<release>/kernel/net/smc}. Every sentence names the file it rests on; where
 * nothing can be read, it says what was tried.
 */
final class KernelBuild {

    /** Module file names a distribution may install (plain or compressed). */
    private static final List<String> MODULE_NAMES = List.of("smc.ko", "smc.ko.xz", "smc.ko.zst", "smc.ko.gz");
    /** A config larger than this is not a kernel config. */
    private static final int MAX_CONFIG_BYTES = 4 << 20;

    private final Path root;
    private final String release;

    KernelBuild(Path root, String release) {
        this.root = root;
        this.release = release;
    }

    /** The kernel's configuration as read from {@code path}: "y", "m", a value, or "n" for "is not set". */
    record Config(String path, Map<String, String> values) {
        String get(String symbol) {
            return values.get(symbol);
        }
    }

    /**
     * The explanation for a kernel where no SMC socket can be made: the cause with its evidence,
     * then what to do, e.g. "kernel 7.2.13+deb14-amd64 was built without CONFIG_SMC
     * (CONFIG_DIBS is not set in /boot/config-7.2.13+deb14-amd64, and CONFIG_SMC depends on it
     * since Linux 6.18); use a kernel built with CONFIG_SMC".
     */
    String whyNoSmc() {
        List<String> tried = new ArrayList<>();
        Optional<Config> config = config(tried);
        Optional<String> module = smcModule();
        String moduleDir = "/lib/modules/" + release + "/kernel/net/smc";
        String kernel = "kernel " + release;
        if (config.isEmpty()) {
            return "the kernel's build configuration is not readable here (tried " + String.join(", ", tried) + ")"
                    + module.map(m -> " but its smc module is installed (" + m + "); load it (modprobe smc)")
                            .orElse(" and no smc module is installed (" + moduleDir + ": absent); load the smc module "
                                    + "(modprobe smc) or use a kernel with CONFIG_SMC (this is " + release + ")");
        }
        Config c = config.get();
        String smc = c.get("CONFIG_SMC");
        if (smc == null || smc.equals("n")) {
            String evidence;
            if (smc == null && "n".equals(c.get("CONFIG_DIBS"))) {
                evidence = "CONFIG_DIBS is not set in " + c.path() + ", and CONFIG_SMC depends on it since Linux 6.18";
            } else if (smc == null) {
                evidence = "CONFIG_SMC does not appear in " + c.path();
            } else {
                evidence = "CONFIG_SMC is not set in " + c.path();
            }
            return kernel + " was built without CONFIG_SMC (" + evidence + "); use a kernel built with CONFIG_SMC";
        }
        if (smc.equals("m")) {
            if (module.isEmpty()) {
                return kernel + " has SMC as a module (CONFIG_SMC=m in " + c.path() + ") but smc.ko is not installed ("
                        + moduleDir + ": absent); install the kernel's modules";
            }
            String disabled = "1".equals(readTrimmed("proc/sys/kernel/modules_disabled"))
                    ? "; module loading is disabled (/proc/sys/kernel/modules_disabled = 1)" : "";
            return kernel + " has SMC as a module (CONFIG_SMC=m in " + c.path() + ", " + module.get()
                    + " installed) that is not loaded" + disabled + "; load it (modprobe smc)";
        }
        return kernel + " was built with CONFIG_SMC=" + smc + " (" + c.path() + "), yet AF_SMC is refused: a container "
                + "runtime or sandbox may be filtering address family 43";
    }

    private Optional<Config> config(List<String> tried) {
        for (String path : List.of("/boot/config-" + release, "/lib/modules/" + release + "/config",
                "/usr/lib/modules/" + release + "/config", "/proc/config.gz")) {
            Path file = root.resolve(path.substring(1));
            try (InputStream raw = Files.newInputStream(file);
                 InputStream in = path.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
                byte[] bytes = in.readNBytes(MAX_CONFIG_BYTES);
                return Optional.of(new Config(path, parse(new String(bytes, StandardCharsets.UTF_8))));
            } catch (NoSuchFileException e) {
                tried.add(path + ": absent");
            } catch (IOException | UncheckedIOException e) {
                tried.add(path + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    static Map<String, String> parse(String text) {
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("CONFIG_")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            } else if (line.startsWith("# CONFIG_") && line.endsWith(" is not set")) {
                values.put(line.substring(2, line.length() - " is not set".length()), "n");
            }
        }
        return values;
    }

    private Optional<String> smcModule() {
        for (String dir : List.of("lib/modules/", "usr/lib/modules/")) {
            for (String name : MODULE_NAMES) {
                String rel = dir + release + "/kernel/net/smc/" + name;
                if (Files.isRegularFile(root.resolve(rel))) {
                    return Optional.of("/" + rel);
                }
            }
        }
        return Optional.empty();
    }

    private String readTrimmed(String relative) {
        try {
            return Files.readString(root.resolve(relative), StandardCharsets.US_ASCII).trim();
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }
}
