package io.smcvertx.transport.doctor;

import io.smcvertx.transport.Smc;
import io.smcvertx.transport.rdma.RdmaDevices;
import io.smcvertx.transport.system.NetDevices;
import io.smcvertx.transport.system.SmcKernel;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * Checks this host's SMC setup the way IBM's "Setting up the SMC support" walks through it, plus
 * what the kernel's own rules need: modules, smc_diag, loopback-ISM, UEID/SEID for v2, handshake
 * limitation, each RoCE/ISM device's PNET mapping to its interface, pause frames (ethtool's
 * netlink interface, not the ethtool program) and socket buffer sizing. Reads only; needs no
 * privileges; blocks for a few netlink round trips, so never call it on an event loop.
 *
 * <pre>{@code
 * DoctorReport report = SmcDoctor.examine();
 * report.findings().forEach(f -> System.out.println(f.status() + " " + f.check() + ": " + f.summary()));
 * System.exit(report.failed() ? 1 : 0);
 * }</pre>
 */
public final class SmcDoctor {

    private final String host;
    private final SmcKernel kernel;
    private final NetDevices net;
    private final Path sysRoot;
    private final Path procRoot;
    private final Clock clock;

    private SmcDoctor(String host, SmcKernel kernel, NetDevices net, Path sysRoot, Path procRoot, Clock clock) {
        this.host = Objects.requireNonNull(host, "`host` must not be `null`");
        this.kernel = Objects.requireNonNull(kernel, "`kernel` must not be `null`");
        this.net = Objects.requireNonNull(net, "`net` must not be `null`");
        this.sysRoot = Objects.requireNonNull(sysRoot, "`sysRoot` must not be `null`");
        this.procRoot = Objects.requireNonNull(procRoot, "`procRoot` must not be `null`");
        this.clock = Objects.requireNonNull(clock, "`clock` must not be `null`");
    }

    /** The doctor of this host, under the given host name (what cluster reports list it by). */
    public static SmcDoctor of(String host, SmcKernel kernel) {
        return new SmcDoctor(host, kernel, NetDevices.system(), Path.of("/sys"), Path.of("/proc"), Clock.systemUTC());
    }

    /** Runs every check on this host, named by its host name. */
    public static DoctorReport examine() {
        return of(localHostName(), SmcKernel.netlink()).run();
    }

    /** Runs every check now. */
    public DoctorReport run() {
        DoctorInputs in = DoctorInputs.collect(host, Smc.capabilities(), kernel, net,
                RdmaDevices.read(sysRoot, true), sysRoot, procRoot);
        return new DoctorReport(host, in.kernelRelease(), clock.instant(), Checks.run(in));
    }

    /**
     * The kernel's host name ({@code /proc/sys/kernel/hostname}, what the kernel also puts into CLC
     * messages); the JDK's resolution of it where proc is not readable, "localhost" when neither works.
     */
    public static String localHostName() {
        try {
            String kernel = java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!kernel.isEmpty()) {
                return kernel;
            }
        } catch (java.io.IOException | RuntimeException unreadable) {
            // fall through to the JDK's answer
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env != null && !env.isBlank() ? env : "localhost";
        }
    }
}
