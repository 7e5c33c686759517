package io.smcvertx.transport.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.SmcCapabilities;
import io.smcvertx.transport.SmcCapabilities.Fact;
import io.smcvertx.transport.rdma.GidType;
import io.smcvertx.transport.rdma.RdmaDevice;
import io.smcvertx.transport.rdma.RdmaGid;
import io.smcvertx.transport.rdma.RdmaInventory;
import io.smcvertx.transport.rdma.RdmaPort;
import io.smcvertx.transport.rdma.VerbsStatus;
import io.smcvertx.transport.system.PauseParameters;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.SeidState;
import io.smcvertx.transport.system.SmcDevice;
import io.smcvertx.transport.system.SmcDevicePort;
import io.smcvertx.transport.system.SmcSysInfo;
import io.smcvertx.transport.system.Ueid;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Each check against a host described by hand: a healthy one, then one setting broken at a time. */
class ChecksTest {

    private static final SmcCapabilities CAPS = new SmcCapabilities("6.12.118+deb12-amd64", Fact.yes("socket(AF_SMC) succeeded"),
            Fact.yes("ok"), Fact.no("no ism driver"), Fact.yes("smc_loopback_init in /proc/kallsyms"), Fact.yes("rxe0"),
            Fact.yes("1 UEID"));

    private static RdmaInventory rxe(String state) {
        RdmaPort port = new RdmaPort("rxe0", 1, state, "Ethernet", Optional.of("eth0"), List.of(
                new RdmaGid(0, "fe80:0000:0000:0000:5054:00ff:fe00:9802", GidType.ROCE_V2, Optional.of("eth0")),
                new RdmaGid(1, "0000:0000:0000:0000:0000:ffff:0a62:0002", GidType.ROCE_V2, Optional.of("eth0"))),
                OptionalInt.of(1024));
        return new RdmaInventory(List.of(new RdmaDevice("rxe0", Optional.of("eth0"), List.of(), List.of(port))),
                new VerbsStatus(VerbsStatus.State.AVAILABLE, "libibverbs answered for [rxe0]"));
    }

    private static SmcDevice rxeDevice(Optional<String> pnetId) {
        return new SmcDevice(SmcDevice.Type.SMCR, "rxe0", "", 0, 0, 0, 0, 0, false,
                List.of(new SmcDevicePort(1, pnetId, pnetId.isPresent(), 2, 1, true, 0)));
    }

    private static Map<String, Probe<String>> sysctls(String wmemMax, String smcWmem) {
        Map<String, Probe<String>> m = new LinkedHashMap<>();
        m.put("net.core.wmem_max", Probe.of(wmemMax));
        m.put("net.core.rmem_max", Probe.of("1048576"));
        m.put("net.ipv4.tcp_wmem", Probe.of("4096\t16384\t4194304"));
        m.put("net.ipv4.tcp_rmem", Probe.of("4096\t131072\t6291456"));
        m.put("net.smc.wmem", Probe.of(smcWmem));
        m.put("net.smc.rmem", Probe.of("65536"));
        return m;
    }

    private static DoctorInputs healthy() {
        return new DoctorInputs("guest-b", CAPS.kernelRelease(), true, true, CAPS,
                Probe.of(new SmcSysInfo(2, 1, true, true, "guest-b", Optional.empty())),
                Probe.of(List.of(Ueid.of("SMCVERTX-LAB"))), Probe.of(new SeidState(Optional.empty(), false)),
                Probe.of(false), Probe.of(List.of(rxeDevice(Optional.empty()))), Probe.of(List.of()), Probe.of(List.of()),
                rxe("ACTIVE"), Map.of(1, "lo", 2, "eth0"),
                Map.of("eth0", Probe.of(new PauseParameters("eth0", false, true, true))), Map.of("eth0", "e1000e"),
                sysctls("1048576", "65536"));
    }

    private static Finding only(List<Finding> findings, String check) {
        List<Finding> f = findings.stream().filter(x -> x.check().equals(check)).toList();
        assertThat(f).as(check).hasSize(1);
        return f.getFirst();
    }

    @Test
    void aHealthyHostHasNoWarningAndNoFailure() {
        List<Finding> f = Checks.run(healthy());
        assertThat(f).extracting(Finding::status).doesNotContain(Finding.Status.WARN, Finding.Status.FAIL);
        assertThat(only(f, "rdma.port").summary()).startsWith("SMC-Rv2 only");
        assertThat(only(f, "pnet").summary()).contains("pairs with eth0 by its own interface");
        assertThat(only(f, "smcr.ipv4").summary()).contains("-Djava.net.preferIPv4Stack=true");
    }

    @Test
    void noUeidAndNoSeidFailsNamingTheDecline() {
        DoctorInputs h = healthy();
        DoctorInputs broken = new DoctorInputs(h.host(), h.kernelRelease(), true, true, CAPS, h.sysInfo(), Probe.of(List.of()),
                h.seid(), h.handshakeLimitation(), h.smcrDevices(), h.smcdDevices(), h.pnetTable(), h.rdma(), h.ifnames(),
                h.pause(), h.drivers(), h.sysctls());
        Finding f = only(Checks.run(broken), "eid.ueid");
        assertThat(f.status()).isEqualTo(Finding.Status.FAIL);
        assertThat(f.summary()).contains("0x03030008");
        assertThat(f.fix()).hasValueSatisfying(v -> assertThat(v).startsWith("smcctl ueid add"));
    }

    @Test
    void missingModulesFailWithModprobeAsTheFix() {
        DoctorInputs h = healthy();
        DoctorInputs broken = new DoctorInputs(h.host(), h.kernelRelease(), false, false, CAPS, h.sysInfo(), h.ueids(),
                h.seid(), h.handshakeLimitation(), h.smcrDevices(), h.smcdDevices(), h.pnetTable(), h.rdma(), h.ifnames(),
                h.pause(), h.drivers(), h.sysctls());
        List<Finding> f = Checks.run(broken);
        assertThat(only(f, "module.smc").fix().orElseThrow()).contains("modprobe smc");
        assertThat(only(f, "module.smc_diag").status()).isEqualTo(Finding.Status.FAIL);
        assertThat(only(f, "module.smc_diag").fix().orElseThrow()).contains("modprobe smc_diag");
    }

    @Test
    void pauseOffFailsAndNoPauseSupportWarnsWithTheDriver() {
        DoctorInputs h = healthy();
        DoctorInputs off = new DoctorInputs(h.host(), h.kernelRelease(), true, true, CAPS, h.sysInfo(), h.ueids(), h.seid(),
                h.handshakeLimitation(), h.smcrDevices(), h.smcdDevices(), h.pnetTable(), h.rdma(), h.ifnames(),
                Map.of("eth0", Probe.of(new PauseParameters("eth0", false, false, true))), h.drivers(), h.sysctls());
        Finding f = only(Checks.run(off), "pause");
        assertThat(f.status()).isEqualTo(Finding.Status.FAIL);
        assertThat(f.fix().orElseThrow()).contains("ethtool -A eth0 rx on tx on");
        DoctorInputs unsupported = new DoctorInputs(h.host(), h.kernelRelease(), true, true, CAPS, h.sysInfo(), h.ueids(),
                h.seid(), h.handshakeLimitation(), h.smcrDevices(), h.smcdDevices(), h.pnetTable(), h.rdma(), h.ifnames(),
                Map.of("eth0", new Probe<>(Optional.empty(), "EOPNOTSUPP", 95)), Map.of("eth0", "virtio_net"), h.sysctls());
        Finding w = only(Checks.run(unsupported), "pause");
        assertThat(w.status()).isEqualTo(Finding.Status.WARN);
        assertThat(w.summary()).contains("virtio_net");
    }

    @Test
    void aPnetIdOnTheInterfaceButNotOnTheRoceDeviceFails() {
        DoctorInputs h = healthy();
        DoctorInputs broken = new DoctorInputs(h.host(), h.kernelRelease(), true, true, CAPS, h.sysInfo(), h.ueids(), h.seid(),
                h.handshakeLimitation(), h.smcrDevices(), h.smcdDevices(), Probe.of(List.of(PnetEntry.ethernet("NETA", "eth0"))),
                h.rdma(), h.ifnames(), h.pause(), h.drivers(), h.sysctls());
        Finding f = only(Checks.run(broken), "pnet");
        assertThat(f.status()).isEqualTo(Finding.Status.FAIL);
        assertThat(f.summary()).contains("eth0 has PNET ID NETA but rxe0/1 has none");
        assertThat(f.fix().orElseThrow()).contains("smcctl pnet add NETA -D rxe0 -P 1");

        DoctorInputs mismatch = new DoctorInputs(h.host(), h.kernelRelease(), true, true, CAPS, h.sysInfo(), h.ueids(), h.seid(),
                h.handshakeLimitation(), Probe.of(List.of(rxeDevice(Optional.of("NETB")))), h.smcdDevices(),
                Probe.of(List.of(PnetEntry.ethernet("NETA", "eth0"))), h.rdma(), h.ifnames(), h.pause(), h.drivers(), h.sysctls());
        assertThat(only(Checks.run(mismatch), "pnet").summary()).contains("has PNET ID NETA but rxe0/1 has NETB");
    }

    @Test
    void smallBuffersAndHandshakeLimitationWarn() {
        DoctorInputs h = healthy();
        DoctorInputs broken = new DoctorInputs(h.host(), h.kernelRelease(), true, true, CAPS, h.sysInfo(), h.ueids(), h.seid(),
                Probe.of(true), h.smcrDevices(), h.smcdDevices(), h.pnetTable(), h.rdma(), h.ifnames(), h.pause(), h.drivers(),
                sysctls("212992", "16384"));
        List<Finding> f = Checks.run(broken);
        assertThat(only(f, "handshake-limitation").status()).isEqualTo(Finding.Status.WARN);
        assertThat(only(f, "sysctl.wmem_max").summary()).contains("212992");
        assertThat(only(f, "sysctl.wmem_max").fix().orElseThrow()).contains("sysctl -w net.core.wmem_max=1048576");
        Finding w = only(f, "sysctl.wmem");
        assertThat(w.status()).isEqualTo(Finding.Status.WARN);
        assertThat(w.subject()).isEqualTo("net.smc.wmem");
        assertThat(w.evidence()).contains("not net.ipv4.tcp_wmem");
        assertThat(only(f, "sysctl.rmem").status()).isEqualTo(Finding.Status.OK);
        assertThat(new DoctorReport("h", "k", java.time.Instant.EPOCH, f).failed()).isFalse();
    }

    @Test
    void withoutNetSmcSysctlsTheTcpDefaultIsWhatCounts() {
        DoctorInputs h = healthy();
        Map<String, Probe<String>> s = sysctls("1048576", "65536");
        s.put("net.smc.wmem", Probe.failed("no such file"));
        DoctorInputs old = new DoctorInputs(h.host(), h.kernelRelease(), true, true, CAPS, h.sysInfo(), h.ueids(), h.seid(),
                h.handshakeLimitation(), h.smcrDevices(), h.smcdDevices(), h.pnetTable(), h.rdma(), h.ifnames(), h.pause(),
                h.drivers(), s);
        Finding w = only(Checks.run(old), "sysctl.wmem");
        assertThat(w.status()).isEqualTo(Finding.Status.WARN);
        assertThat(w.summary()).contains("16384");
        assertThat(w.fix().orElseThrow()).contains("net.ipv4.tcp_wmem='4096 65536 4194304'");
    }

    @Test
    void aDownPortWarnsAndNoDeviceIsInfo() {
        DoctorInputs h = healthy();
        DoctorInputs down = new DoctorInputs(h.host(), h.kernelRelease(), true, true, CAPS, h.sysInfo(), h.ueids(), h.seid(),
                h.handshakeLimitation(), h.smcrDevices(), h.smcdDevices(), h.pnetTable(), rxe("DOWN"), h.ifnames(), h.pause(),
                h.drivers(), h.sysctls());
        Finding f = only(Checks.run(down), "rdma.port");
        assertThat(f.status()).isEqualTo(Finding.Status.WARN);
        assertThat(f.fix().orElseThrow()).contains("ip link set eth0 up");
        DoctorInputs none = new DoctorInputs(h.host(), h.kernelRelease(), true, true, CAPS, h.sysInfo(), h.ueids(), h.seid(),
                h.handshakeLimitation(), Probe.of(List.of()), h.smcdDevices(), h.pnetTable(),
                new RdmaInventory(List.of(), new VerbsStatus(VerbsStatus.State.NOT_NEEDED, "none")), h.ifnames(), Map.of(),
                Map.of(), h.sysctls());
        assertThat(only(Checks.run(none), "rdma").status()).isEqualTo(Finding.Status.INFO);
    }
}
