package io.smcvertx.transport.doctor;

import io.smcvertx.transport.SmcCapabilities.Fact;
import io.smcvertx.transport.rdma.GidType;
import io.smcvertx.transport.rdma.RdmaPort;
import io.smcvertx.transport.rdma.VerbsStatus;
import io.smcvertx.transport.system.PauseParameters;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.SeidState;
import io.smcvertx.transport.system.SmcDevice;
import io.smcvertx.transport.system.SmcDevicePort;
import io.smcvertx.transport.system.SmcSysInfo;
import io.smcvertx.transport.system.Ueid;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks, as pure functions of {@link DoctorInputs}. Order follows IBM's setup guide: the
 * kernel's SMC, then EIDs, devices and their PNET mapping, pause frames, buffer sizing.
 */
final class Checks {

    /** SMC-R's largest physically contiguous buffer (512 KiB); SMC-D's is 1 MiB. */
    static final long SMC_BUFFER_CAP_SIZE = 512 * 1024;
    /** The kernel's default for net.smc.wmem/rmem since 6.0; smaller initial buffers cost round trips. */
    static final long SMC_INITIAL_BUFFER = 64 * 1024;
    private static final int EOPNOTSUPP = 95;
    private static final int ENODEV = 19;

    private final DoctorInputs in;
    private final List<Finding> out = new ArrayList<>();

    private Checks(DoctorInputs in) {
        this.in = in;
    }

    static List<Finding> run(DoctorInputs in) {
        Checks c = new Checks(in);
        c.modules();
        c.version();
        c.loopbackIsm();
        c.eids();
        c.handshakeLimitation();
        c.rdma();
        c.pnet();
        c.ipv4Sockets();
        c.pause();
        c.sizing();
        return List.copyOf(c.out);
    }

    private void modules() {
        out.add(in.smcModule()
                ? Finding.ok("module.smc", "smc", "the smc module is loaded", "/sys/module/smc exists")
                : Finding.fail("module.smc", "smc", "the smc module is not loaded: no SMC socket can be made",
                        "/sys/module/smc does not exist; AF_SMC: " + in.capabilities().afSmc(), "modprobe smc"));
        out.add(in.smcDiagModule()
                ? Finding.ok("module.smc_diag", "smc_diag", "smc_diag is loaded: each connection's mode can be read",
                        "/sys/module/smc_diag exists")
                : Finding.fail("module.smc_diag", "smc_diag",
                        "smc_diag is not loaded: nobody can tell SMC connections from TCP fallbacks",
                        "/sys/module/smc_diag does not exist (smc_diag answers the SOCK_DIAG dumps for AF_SMC)",
                        "modprobe smc_diag"));
        Fact af = in.capabilities().afSmc();
        if (!af.isYes() && in.smcModule()) {
            out.add(Finding.fail("af_smc", "host", "AF_SMC sockets cannot be made", af.evidence(), "modprobe smc"));
        }
    }

    private void version() {
        if (!in.sysInfo().ok()) {
            if (in.smcModule()) {
                out.add(Finding.warn("smc.version", "host", "the kernel's SMC system info cannot be read",
                        in.sysInfo().error(), null));
            }
            return;
        }
        SmcSysInfo s = in.sysInfo().get();
        out.add(Finding.info("smc.version", "host", "SMC v" + s.version() + "." + s.release() + "; SMC-Dv2 "
                        + (s.ismV2() ? "yes" : "no") + ", SMC-Rv2 " + (s.smcrV2() ? "yes" : "no"),
                "SMC_NETLINK_GET_SYS_INFO: version " + s.version() + ", release " + s.release() + ", is_ism_v2 "
                        + s.ismV2() + ", is_smcr_v2 " + s.smcrV2() + ", host name " + s.hostName()));
    }

    private void loopbackIsm() {
        if (!in.smcModule()) {
            return;
        }
        Fact lo = in.capabilities().loopbackIsm();
        Fact ism = in.capabilities().ismDevice();
        switch (lo.state()) {
            case YES -> out.add(Finding.ok("loopback-ism", "loopback-ism",
                    "loopback-ISM is present: SMC-D works between processes of this host", lo.evidence()));
            case NO -> out.add(ism.isYes()
                    ? Finding.info("loopback-ism", "loopback-ism", "no loopback-ISM, but an ISM device serves SMC-D",
                            lo.evidence() + "; ISM: " + ism.evidence())
                    : Finding.warn("loopback-ism", "loopback-ism",
                            "no loopback-ISM and no ISM: SMC-D is impossible, connections on this host stay TCP",
                            lo.evidence(), "load an smc module built with CONFIG_SMC_LO=y (Linux 6.11+)"));
            default -> out.add(Finding.info("loopback-ism", "loopback-ism", "whether loopback-ISM exists is unknown",
                    lo.evidence()));
        }
    }

    private void eids() {
        if (!in.ueids().ok() || !in.seid().ok()) {
            if (in.smcModule()) {
                out.add(Finding.warn("eid.ueid", "host", "the EID tables cannot be read",
                        in.ueids().ok() ? in.seid().error() : in.ueids().error(), null));
            }
            return;
        }
        List<Ueid> ueids = in.ueids().get();
        SeidState seid = in.seid().get();
        String evidence = "SMC_NETLINK_DUMP_UEID: " + (ueids.isEmpty() ? "none" : ueids) + "; SMC_NETLINK_DUMP_SEID: "
                + seid.seid().orElse("none") + (seid.enabled() ? " (enabled)" : " (disabled)");
        if (ueids.isEmpty() && !seid.enabled()) {
            out.add(Finding.fail("eid.ueid", "host",
                    "no UEID and no SEID: SMC-Dv2 (loopback-ISM) and SMC-Rv2 are declined (0x03030008 NOUEID)",
                    evidence, "smcctl ueid add <FLEET-EID>   (the same UEID on every peer, or publish one with smcctl cluster publish)"));
        } else if (ueids.isEmpty()) {
            out.add(Finding.ok("eid.ueid", "host", "no UEID, but the SEID " + seid.seid().orElse("")
                    + " serves SMC-Dv2 between hosts of this machine; SMC-Rv2 needs a UEID", evidence));
        } else {
            out.add(Finding.ok("eid.ueid", "host", ueids.size() + " UEID(s): " + ueids
                    + "; SMC-Rv2 and SMC-Dv2 peers need one of them too", evidence));
        }
        out.add(Finding.info("eid.seid", "host", seid.seid().isPresent()
                ? "SEID " + seid.seid().get() + (seid.enabled() ? " is offered in handshakes" : " is switched off")
                : "no SEID: only IBM Z derives one from the machine", evidence));
    }

    private void handshakeLimitation() {
        if (!in.handshakeLimitation().ok()) {
            return;
        }
        out.add(in.handshakeLimitation().get()
                ? Finding.warn("handshake-limitation", "net.smc.limit_smc_hs",
                        "handshake limitation is on: while the SMC handshake queue is congested, listeners stop "
                                + "offering SMC and those connections stay TCP",
                        "SMC_NETLINK_DUMP_HS_LIMITATION: enabled", "smcctl sysctl limit_smc_hs=0")
                : Finding.ok("handshake-limitation", "net.smc.limit_smc_hs",
                        "handshake limitation is off: listeners always offer SMC", "SMC_NETLINK_DUMP_HS_LIMITATION: disabled"));
    }

    private void rdma() {
        if (in.rdma().devices().isEmpty()) {
            out.add(Finding.info("rdma", "host", "no RDMA device: SMC-R is impossible here (SMC-D only); "
                    + "for tests, Soft-RoCE: rdma link add rxe0 type rxe netdev <interface>",
                    "/sys/class/infiniband is empty or absent"));
            return;
        }
        for (RdmaPort p : in.rdma().ports()) {
            String subject = p.device() + "/" + p.port();
            long v1 = p.gids().stream().filter(g -> g.type() == GidType.ROCE_V1).count();
            long v2 = p.gids().stream().filter(g -> g.type() == GidType.ROCE_V2).count();
            long v2ip4 = p.gids().stream().filter(g -> g.type() == GidType.ROCE_V2 && g.ipv4Mapped()).count();
            String evidence = "sysfs ports/" + p.port() + ": state " + p.state() + ", link_layer " + p.linkLayer()
                    + ", netdev " + p.netdev().orElse("none") + ", GIDs: " + v1 + " RoCE v1, " + v2 + " RoCE v2 ("
                    + v2ip4 + " IPv4)" + (p.activeMtu().isPresent() ? ", active MTU " + p.activeMtu().getAsInt()
                    + " (ibv_query_port)" : "");
            if (!p.ethernet()) {
                out.add(Finding.info("rdma.port", subject, p.smcMeaning(), evidence));
            } else if (p.smcRv1() || p.smcRv2()) {
                out.add(Finding.ok("rdma.port", subject, p.smcMeaning(), evidence));
            } else if (!p.active()) {
                out.add(Finding.warn("rdma.port", subject, p.smcMeaning(), evidence,
                        "ip link set " + p.netdev().orElse("<interface>") + " up"));
            } else {
                out.add(Finding.warn("rdma.port", subject, p.smcMeaning(), evidence,
                        "ip addr add <address>/<prefix> dev " + p.netdev().orElse("<interface>")));
            }
        }
        VerbsStatus v = in.rdma().verbs();
        out.add(v.state() == VerbsStatus.State.AVAILABLE
                ? Finding.ok("rdma.verbs", "libibverbs", "libibverbs answered (active MTU known)", v.evidence())
                : Finding.info("rdma.verbs", "libibverbs", "libibverbs " + v.state().name().toLowerCase(java.util.Locale.ROOT)
                        .replace('_', ' ') + ": active MTU unknown; sysfs covers the rest", v.evidence()));
    }

    private Optional<TableId> tableIdOfNetdev(String ifname) {
        return in.pnetTable().value().orElse(List.of()).stream()
                .filter(e -> e.ethName().filter(ifname::equals).isPresent())
                .map(e -> new TableId(e.pnetId().value())).findFirst();
    }

    /** A PNET ID string, so the table's and the device's can be compared without their types. */
    private record TableId(String value) {
    }

    private void pnet() {
        if (!in.smcrDevices().ok()) {
            if (in.smcModule() && !in.rdma().devices().isEmpty()) {
                out.add(Finding.warn("pnet", "host", "the kernel's SMC-R devices cannot be read", in.smcrDevices().error(), null));
            }
            return;
        }
        for (SmcDevice d : in.smcrDevices().get()) {
            for (SmcDevicePort p : d.ports()) {
                pnetRoce(d, p);
            }
        }
        for (SmcDevice d : in.smcdDevices().value().orElse(List.of())) {
            for (SmcDevicePort p : d.ports()) {
                String subject = d.name();
                out.add(p.pnetId().isPresent()
                        ? Finding.ok("pnet", subject, "ISM device " + d.name() + " has PNET ID " + p.pnetId().get(),
                                "SMC_NETLINK_GET_DEV_SMCD port " + p.port() + ": pnetid " + p.pnetId().get()
                                        + (p.pnetIdByUser() ? " (software table)" : " (hardware)"))
                        : Finding.warn("pnet", subject, "ISM device " + d.name() + " has no PNET ID: SMC-Dv1 cannot pair it",
                                "SMC_NETLINK_GET_DEV_SMCD port " + p.port() + ": no pnetid",
                                "smcctl pnet add <PNETID> -D " + d.pciId()));
            }
        }
    }

    private void pnetRoce(SmcDevice d, SmcDevicePort p) {
        String subject = d.name() + "/" + p.port();
        Optional<String> netdev = in.ifname(p.netdevIfindex()).or(() -> in.rdma().ports().stream()
                .filter(r -> r.device().equals(d.name()) && r.port() == p.port()).findFirst().flatMap(RdmaPort::netdev));
        Optional<String> portId = p.pnetId();
        Optional<TableId> netId = netdev.flatMap(this::tableIdOfNetdev);
        String evidence = "SMC_NETLINK_GET_DEV_SMCR " + subject + ": pnetid " + portId.orElse("none")
                + (portId.isPresent() ? (p.pnetIdByUser() ? " (software table)" : " (hardware)") : "") + ", netdev "
                + netdev.orElse("none") + "; PNET table: " + netdev.map(n -> n + " -> " + netId.map(TableId::value)
                        .orElse("none")).orElse("-");
        if (netdev.isEmpty()) {
            out.add(Finding.fail("pnet", subject, subject + " is tied to no network interface: SMC cannot use it",
                    evidence, "smcctl pnet add <PNETID> -I <interface> && smcctl pnet add <PNETID> -D " + d.name()
                            + " -P " + p.port()));
        } else if (portId.isEmpty() && netId.isEmpty()) {
            out.add(Finding.ok("pnet", subject, subject + " pairs with " + netdev.get()
                    + " by its own interface (no PNET ID needed while the IP address is on " + netdev.get() + ")", evidence));
        } else if (portId.isPresent() && netId.isPresent() && portId.get().equals(netId.get().value())) {
            out.add(Finding.ok("pnet", subject, subject + " and " + netdev.get() + " share PNET ID " + portId.get(), evidence));
        } else if (portId.isPresent() && netId.isPresent()) {
            out.add(Finding.fail("pnet", subject, netdev.get() + " has PNET ID " + netId.get().value() + " but " + subject
                    + " has " + portId.get() + ": SMC will not use " + d.name() + " for " + netdev.get()
                    + "'s connections", evidence, "smcctl pnet del " + portId.get() + " && smcctl pnet add "
                    + netId.get().value() + " -D " + d.name() + " -P " + p.port()));
        } else if (netId.isPresent()) {
            out.add(Finding.fail("pnet", subject, netdev.get() + " has PNET ID " + netId.get().value() + " but " + subject
                    + " has none: connections over " + netdev.get() + " find no RoCE device with that PNET ID", evidence,
                    "smcctl pnet add " + netId.get().value() + " -D " + d.name() + " -P " + p.port()));
        } else {
            out.add(Finding.warn("pnet", subject, subject + " has PNET ID " + portId.get() + " but its interface "
                    + netdev.get() + " has none", evidence, "smcctl pnet add " + portId.get() + " -I " + netdev.get()));
        }
    }

    /**
     * Before Linux 6.14 an SMC6 socket talking to an IPv4 peer gets no SMC-R device (seen in the
     * two-guest lab: a JVM client on 6.12 fell back with 0x03030000 NOSMCDEV where python's IPv4
     * AF_SMC socket got SMCR). Java makes AF_INET6 sockets unless told otherwise.
     */
    private void ipv4Sockets() {
        if (in.rdma().ports().stream().noneMatch(RdmaPort::ethernet)) {
            return;
        }
        int[] v = kernelVersion(in.kernelRelease());
        if (v[0] > 6 || (v[0] == 6 && v[1] >= 14)) {
            return;
        }
        boolean thisJvm = Boolean.getBoolean("java.net.preferIPv4Stack");
        out.add(Finding.info("smcr.ipv4", "host", "kernel " + v[0] + "." + v[1] + " < 6.14: SMC-R to IPv4 peers needs "
                        + "IPv4 sockets; JVMs must run with -Djava.net.preferIPv4Stack=true (or they fall back, 0x03030000 NOSMCDEV)",
                "kernel release " + in.kernelRelease() + "; java.net.preferIPv4Stack in this JVM: " + thisJvm));
    }

    static int[] kernelVersion(String release) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
        return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : new int[] {0, 0};
    }

    private void pause() {
        in.pause().forEach((ifname, probe) -> {
            String driver = in.drivers().getOrDefault(ifname, "unknown driver");
            if (probe.ok()) {
                PauseParameters p = probe.get();
                String evidence = "ETHTOOL_MSG_PAUSE_GET " + p;
                out.add(p.on()
                        ? Finding.ok("pause", ifname, "pause frames are on (RX and TX) on " + ifname, evidence)
                        : Finding.fail("pause", ifname, "pause frames are off on " + ifname + " (RX " + (p.rx() ? "on" : "off")
                                + ", TX " + (p.tx() ? "on" : "off") + "): RoCE needs a lossless link", evidence,
                                "ethtool -A " + ifname + " rx on tx on"));
            } else if (probe.errno() == EOPNOTSUPP) {
                out.add(Finding.warn("pause", ifname, ifname + " (" + driver + ") has no pause settings to check: "
                        + "RoCE over it relies on a link this host cannot confirm lossless",
                        "ETHTOOL_MSG_PAUSE_GET " + ifname + ": " + probe.error(), null));
            } else if (probe.errno() != ENODEV) {
                out.add(Finding.warn("pause", ifname, "pause settings of " + ifname + " cannot be read",
                        "ETHTOOL_MSG_PAUSE_GET " + ifname + ": " + probe.error(), null));
            }
        });
    }

    private void sizing() {
        for (String dir : List.of("wmem", "rmem")) {
            String max = "net.core." + dir + "_max";
            Probe<String> m = in.sysctls().get(max);
            if (m != null && m.ok()) {
                long v = first(m.get());
                out.add(v >= SMC_BUFFER_CAP_SIZE
                        ? Finding.ok("sysctl." + dir + "_max", max, max + " = " + v + ": applications may ask for SMC buffers "
                                + "of 512 KiB and more", max + " = " + v)
                        : Finding.warn("sysctl." + dir + "_max", max, max + " = " + v + " caps " + (dir.equals("wmem")
                                ? "SO_SNDBUF" : "SO_RCVBUF") + ", so applications that size their buffers get at most "
                                + v + " bytes of SMC buffer (SMC-R uses up to 512 KiB, SMC-D up to 1 MiB)",
                                max + " = " + v, "sysctl -w " + max + "=" + 1048576));
            }
            String tcp = "net.ipv4.tcp_" + dir;
            String smc = "net.smc." + dir;
            Probe<String> t = in.sysctls().get(tcp);
            Probe<String> s = in.sysctls().get(smc);
            boolean own = s != null && s.ok();
            Probe<String> src = own ? s : t;
            if (src == null || !src.ok()) {
                continue;
            }
            long initial = own ? first(src.get()) : second(src.get());
            String name = own ? smc : tcp + " (default field)";
            String evidence = smc + (own ? " = " + s.get() : " absent") + "; " + tcp + (t != null && t.ok() ? " = " + t.get() : " unreadable")
                    + (own ? "; this kernel takes SMC's initial " + (dir.equals("wmem") ? "send" : "receive")
                            + " buffer from " + smc + ", not " + tcp : "");
            String fix = own ? "smcctl sysctl " + dir + "=" + SMC_INITIAL_BUFFER
                    : "sysctl -w " + tcp + "='4096 " + SMC_INITIAL_BUFFER + " " + (t != null && t.ok() ? third(t.get()) : 4194304) + "'";
            out.add(initial >= SMC_INITIAL_BUFFER
                    ? Finding.ok("sysctl." + dir, name, "SMC sockets that do not set " + (dir.equals("wmem") ? "SO_SNDBUF"
                            : "SO_RCVBUF") + " start with " + initial + " bytes (" + name + ")", evidence)
                    : Finding.warn("sysctl." + dir, name, "SMC sockets that do not set " + (dir.equals("wmem") ? "SO_SNDBUF"
                            : "SO_RCVBUF") + " start with only " + initial + " bytes (" + name + "; 64 KiB is the kernel's default)",
                            evidence, fix));
        }
    }

    private static long field(String v, int i) {
        String[] parts = v.strip().split("\\s+");
        try {
            return Long.parseLong(parts[Math.min(i, parts.length - 1)]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long first(String v) {
        return field(v, 0);
    }

    private static long second(String v) {
        return field(v, 1);
    }

    private static long third(String v) {
        return field(v, 2);
    }
}
