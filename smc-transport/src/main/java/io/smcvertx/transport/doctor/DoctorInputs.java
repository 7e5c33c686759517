package io.smcvertx.transport.doctor;

import io.smcvertx.transport.SmcCapabilities;
import io.smcvertx.transport.rdma.RdmaInventory;
import io.smcvertx.transport.rdma.RdmaPort;
import io.smcvertx.transport.system.NetDevices;
import io.smcvertx.transport.system.PauseParameters;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.SeidState;
import io.smcvertx.transport.system.SmcDevice;
import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.SmcSysInfo;
import io.smcvertx.transport.system.Ueid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the checks judge, read once. Kept apart from the checks so host tests can feed
 * them any host they can describe, and the lab can feed them a real one.
 */
record DoctorInputs(String host, String kernelRelease, boolean smcModule, boolean smcDiagModule,
        SmcCapabilities capabilities, Probe<SmcSysInfo> sysInfo, Probe<List<Ueid>> ueids, Probe<SeidState> seid,
        Probe<Boolean> handshakeLimitation, Probe<List<SmcDevice>> smcrDevices, Probe<List<SmcDevice>> smcdDevices,
        Probe<List<PnetEntry>> pnetTable, RdmaInventory rdma, Map<Integer, String> ifnames,
        Map<String, Probe<PauseParameters>> pause, Map<String, String> drivers, Map<String, Probe<String>> sysctls) {

    /** The sysctls the sizing checks read, by their dotted names. */
    static final List<String> SYSCTLS = List.of("net.core.wmem_max", "net.core.rmem_max", "net.ipv4.tcp_wmem",
            "net.ipv4.tcp_rmem", "net.smc.wmem", "net.smc.rmem");

    /** Reads this host. Blocks for a few netlink round trips; never call it on an event loop. */
    static DoctorInputs collect(String host, SmcCapabilities caps, SmcKernel kernel, NetDevices net, RdmaInventory rdma,
            Path sysRoot, Path procRoot) {
        boolean smc = Files.isDirectory(sysRoot.resolve("module/smc"));
        boolean diag = Files.isDirectory(sysRoot.resolve("module/smc_diag"));
        Map<String, Probe<PauseParameters>> pause = new TreeMap<>();
        Map<String, String> drivers = new TreeMap<>();
        for (RdmaPort p : rdma.ports()) {
            p.netdev().ifPresent(n -> {
                pause.computeIfAbsent(n, k -> Probe.read(() -> net.pause(k)));
                net.driver(n).ifPresent(d -> drivers.put(n, d));
            });
        }
        Map<String, Probe<String>> sysctls = new LinkedHashMap<>();
        for (String s : SYSCTLS) {
            sysctls.put(s, Probe.read(() -> readProc(procRoot.resolve("sys/" + s.replace('.', '/')))));
        }
        return new DoctorInputs(host, caps.kernelRelease(), smc, diag, caps,
                Probe.read(kernel::sysInfo), Probe.read(kernel::ueids), Probe.read(kernel::seid),
                Probe.read(kernel::handshakeLimitation), Probe.read(kernel::smcrDevices), Probe.read(kernel::smcdDevices),
                Probe.read(kernel::pnetTable), rdma, net.names(), pause, drivers, sysctls);
    }

    /** One read call, as proc's integer handlers want (see NetlinkSmcSystem.readProc). */
    static String readProc(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return new String(in.readNBytes(4096), StandardCharsets.US_ASCII).strip();
        }
    }

    Optional<String> ifname(int ifindex) {
        return ifindex <= 0 ? Optional.empty() : Optional.ofNullable(ifnames.get(ifindex));
    }
}
