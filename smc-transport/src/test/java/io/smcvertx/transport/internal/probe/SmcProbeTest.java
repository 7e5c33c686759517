package io.smcvertx.transport.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.SmcCapabilities.State;
import io.smcvertx.transport.internal.ffm.Errno;
import io.smcvertx.transport.internal.ffm.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe's reading of sysfs/procfs and its wording, on file trees laid out as the kernel does. */
class SmcProbeTest {

    @TempDir
    Path root;

    private static final SmcProbe.SocketCall NO_SMC = (what, domain, type, protocol) -> {
        throw Errno.exception(what, domain == LibC.AF_SMC ? Errno.EAFNOSUPPORT : Errno.EPROTONOSUPPORT);
    };
    private static final SmcProbe.SocketCall SMC_OK = (what, domain, type, protocol) -> { };

    private void write(String relative, String content) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void aKernelWhoseConfigCannotBeReadSaysWhatWasTried() throws IOException {
        write("proc/sys/kernel/osrelease", "6.1.0-56-amd64\n");
        SmcProbe.Result r = new SmcProbe(root, NO_SMC).probe();

        assertThat(r.available()).isFalse();
        assertThat(r.cause().getMessage()).isEqualTo("kernel has no SMC: socket(AF_SMC) -> EAFNOSUPPORT (97): "
                + "the kernel's build configuration is not readable here (tried /boot/config-6.1.0-56-amd64: absent, "
                + "/lib/modules/6.1.0-56-amd64/config: absent, /usr/lib/modules/6.1.0-56-amd64/config: absent, "
                + "/proc/config.gz: absent) and no smc module is installed (/lib/modules/6.1.0-56-amd64/kernel/net/smc: "
                + "absent); load the smc module (modprobe smc) or use a kernel with CONFIG_SMC (this is 6.1.0-56-amd64); "
                + "and socket(AF_INET, IPPROTO_SMC) -> EPROTONOSUPPORT (93)");
        assertThat(r.capabilities().kernelRelease()).isEqualTo("6.1.0-56-amd64");
        assertThat(r.capabilities().afSmc().state()).isEqualTo(State.NO);
        assertThat(r.capabilities().ipprotoSmc().evidence()).contains("IPPROTO_SMC needs Linux 6.11+");
        assertThat(r.capabilities().loopbackIsm().state()).isEqualTo(State.NO);
        assertThat(r.capabilities().ismDevice().state()).isEqualTo(State.NO);
        assertThat(r.capabilities().smcrDevice().state()).isEqualTo(State.NO);
    }

    /** Debian's 6.18+ kernels: CONFIG_SMC depends on CONFIG_DIBS, which is unset, so kconfig writes no SMC line at all. */
    @Test
    void aKernelBuiltWithoutSmcIsNamedWithTheConfigLineThatSaysSo() throws IOException {
        String rel = "7.2.13+deb14-amd64";
        write("proc/sys/kernel/osrelease", rel + "\n");
        write("boot/config-" + rel, "CONFIG_NET=y\nCONFIG_INET=y\n# CONFIG_DIBS is not set\nCONFIG_RDS=m\n");
        write("lib/modules/" + rel + "/kernel/net/rds/rds.ko.xz", "");
        SmcProbe.Result r = new SmcProbe(root, NO_SMC).probe();
        assertThat(r.cause().getMessage()).isEqualTo("kernel has no SMC: socket(AF_SMC) -> EAFNOSUPPORT (97): kernel "
                + rel + " was built without CONFIG_SMC (CONFIG_DIBS is not set in /boot/config-" + rel + ", and CONFIG_SMC "
                + "depends on it since Linux 6.18); use a kernel built with CONFIG_SMC; "
                + "and socket(AF_INET, IPPROTO_SMC) -> EPROTONOSUPPORT (93)");
    }

    @Test
    void theSplitPackagesConfigUnderLibModulesAndProcConfigGzAreReadToo() throws IOException {
        write("proc/sys/kernel/osrelease", "7.3.1+deb14-amd64\n");
        write("lib/modules/7.3.1+deb14-amd64/config", "# CONFIG_SMC is not set\n");
        assertThat(new SmcProbe(root, NO_SMC).probe().cause().getMessage())
                .contains("kernel 7.3.1+deb14-amd64 was built without CONFIG_SMC (CONFIG_SMC is not set in "
                        + "/lib/modules/7.3.1+deb14-amd64/config)");
        Files.delete(root.resolve("lib/modules/7.3.1+deb14-amd64/config"));
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(root.resolve("proc/config.gz")))) {
            out.write("CONFIG_MODULES=y\nCONFIG_SMC=m\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(new SmcProbe(root, NO_SMC).probe().cause().getMessage())
                .contains("has SMC as a module (CONFIG_SMC=m in /proc/config.gz) but smc.ko is not installed "
                        + "(/lib/modules/7.3.1+deb14-amd64/kernel/net/smc: absent)");
    }

    @Test
    void anInstalledModuleThatIsNotLoadedIsToldToBeLoaded() throws IOException {
        String rel = "6.12.118+deb12-amd64";
        write("proc/sys/kernel/osrelease", rel + "\n");
        write("boot/config-" + rel, "CONFIG_SMC=m\nCONFIG_SMC_DIAG=m\n");
        write("lib/modules/" + rel + "/kernel/net/smc/smc.ko.xz", "");
        write("proc/sys/kernel/modules_disabled", "1\n");
        assertThat(new SmcProbe(root, NO_SMC).probe().cause().getMessage()).contains("kernel " + rel
                + " has SMC as a module (CONFIG_SMC=m in /boot/config-" + rel + ", /lib/modules/" + rel
                + "/kernel/net/smc/smc.ko.xz installed) that is not loaded; module loading is disabled "
                + "(/proc/sys/kernel/modules_disabled = 1); load it (modprobe smc)");
    }

    @Test
    void aForbiddenSocketFamilyIsNotCalledAMissingKernelFeature() throws IOException {
        write("proc/sys/kernel/osrelease", "6.12.0\n");
        SmcProbe.Result r = new SmcProbe(root, (what, d, t, p) -> {
            throw Errno.exception(what, Errno.EPERM);
        }).probe();
        assertThat(r.cause().getMessage()).startsWith("SMC sockets are forbidden here: socket(AF_SMC) -> EPERM (1); "
                + "a seccomp profile or security module denies address family 43");
    }

    @Test
    void loopbackIsmIsFoundFromTheSmcModuleSymbols() throws IOException {
        write("proc/sys/kernel/osrelease", "6.12.117+deb12-amd64\n");
        write("proc/kallsyms", """
                0000000000000000 t smc_lo_register_dmb\t[smc]
                0000000000000000 T smc_loopback_init\t[smc]
                0000000000000000 T smc_loopback_initialize_not_this\t[other]
                """);
        SmcProbe.Result r = new SmcProbe(root, SMC_OK).probe();
        assertThat(r.available()).isTrue();
        assertThat(r.cause()).isNull();
        assertThat(r.capabilities().loopbackIsm().state()).isEqualTo(State.YES);
        assertThat(r.capabilities().smcdPresent()).isTrue();
        assertThat(r.capabilities().afSmcUsable()).isTrue();
        assertThat(r.capabilities().ipprotoSmcUsable()).isTrue();
    }

    @Test
    void aModuleBuiltWithoutSmcLoHasNoLoopbackIsm() throws IOException {
        write("proc/kallsyms", "0000000000000000 T smc_loopback_initialize\t[x]\n0000000000000000 T smc_ism_init\t[smc]\n");
        SmcProbe.Result r = new SmcProbe(root, SMC_OK).probe();
        assertThat(r.capabilities().loopbackIsm().state()).isEqualTo(State.NO);
        assertThat(r.capabilities().loopbackIsm().evidence()).contains("without CONFIG_SMC_LO");
        assertThat(r.capabilities().kernelRelease()).startsWith("unknown");
    }

    @Test
    void unreadableSymbolsMakeLoopbackIsmUnknownNotAbsent() {
        SmcProbe.Result r = new SmcProbe(root, SMC_OK).probe();
        assertThat(r.capabilities().loopbackIsm().state()).isEqualTo(State.UNKNOWN);
    }

    @Test
    void ismDevicesAreThoseBoundToTheIsmDriver() throws IOException {
        Files.createDirectories(root.resolve("sys/bus/pci/drivers/ism"));
        write("sys/bus/pci/drivers/ism/bind", "");
        write("sys/bus/pci/drivers/ism/uevent", "");
        assertThat(new SmcProbe(root, SMC_OK).ismDevice().state()).isEqualTo(State.NO);
        Files.createDirectories(root.resolve("sys/bus/pci/drivers/ism/0000:00:00.0"));
        assertThat(new SmcProbe(root, SMC_OK).ismDevice()).satisfies(f -> {
            assertThat(f.state()).isEqualTo(State.YES);
            assertThat(f.evidence()).isEqualTo("ism driver bound to 0000:00:00.0");
        });
    }

    @Test
    void smcrNeedsAnRdmaPortWithAnEthernetLinkLayer() throws IOException {
        write("sys/class/infiniband/mlx5_0/ports/1/link_layer", "InfiniBand\n");
        assertThat(new SmcProbe(root, SMC_OK).smcrDevice().state()).isEqualTo(State.NO);
        write("sys/class/infiniband/rxe0/ports/1/link_layer", "Ethernet\n");
        assertThat(new SmcProbe(root, SMC_OK).smcrDevice()).satisfies(f -> {
            assertThat(f.state()).isEqualTo(State.YES);
            assertThat(f.evidence()).isEqualTo("RoCE: rxe0 port 1");
        });
    }
}
