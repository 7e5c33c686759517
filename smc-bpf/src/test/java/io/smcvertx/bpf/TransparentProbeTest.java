package io.smcvertx.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.bpf.TransparentRefusedException.Missing;
import io.smcvertx.bpf.internal.BtfTest;
import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.internal.ffm.Errno;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe's verdicts and their wording: on this host's kernel (which has no SMC), and on made-up
 * systems (a file tree for /proc, /sys and /boot, a fake for the two system calls) for every other
 * refusal: no BTF, no hook, fmod_ret not allowed, no trampoline, no privilege.
 */
class TransparentProbeTest {

    @TempDir
    Path root;

    @Test
    void thisHostRefusesAndSaysWhy() throws IOException {
        TransparentCapabilities caps = TransparentProbe.probe();
        // the host kernel has no SMC (project fact: socket(AF_SMC) is EAFNOSUPPORT here), so the
        // upgrade must be refused whatever else this kernel offers, and the refusal must say that
        assertThat(caps.usable()).isFalse();
        assertThat(caps.missing()).contains(Missing.SMC);
        assertThat(caps.ipprotoSmc().isYes()).isFalse();
        assertThat(caps.refusal().orElseThrow()).startsWith("transparent SMC refused on kernel ")
                .contains("socket(AF_INET, SOCK_STREAM, IPPROTO_SMC) failed: ")
                .contains("a selected process would fail to create TCP sockets, so nothing is selected");
        // every other fact is decided with evidence; what this kernel refuses besides SMC is listed too
        caps.facts().forEach((name, fact) -> assertThat(fact.evidence()).as(name).isNotBlank());
        if (caps.trialLoad().isYes()) {
            assertThat(caps.missing()).containsExactly(Missing.SMC);
        } else if (caps.hook().isYes()) {
            assertThat(caps.refusal().orElseThrow()).contains(caps.trialLoad().evidence());
        }
        // the refusal left nothing behind: no program of ours is loaded (when we may look)
        if (caps.privileges().isYes()) {
            try {
                assertThat(UpgradeView.scan(Optional.empty())).isEmpty();
            } catch (SmcNativeException e) {
                assertThat(e.errno()).isEqualTo(Errno.EPERM); // listing needs CAP_SYS_ADMIN
            }
        }
    }

    @Test
    void attachRefusesWithTheSameWordsAndAttachesNothing() {
        try (SmcUpgrade u = SmcUpgrade.attach()) {
            org.junit.jupiter.api.Assertions.fail("attached on a kernel without SMC: " + u.describe());
        } catch (TransparentRefusedException e) {
            assertThat(e.missing()).contains(Missing.SMC);
            assertThat(e.getMessage()).contains("IPPROTO_SMC");
        } catch (IOException e) {
            org.junit.jupiter.api.Assertions.fail("expected a refusal, got " + e);
        }
    }

    @Test
    void usableWhenEverythingIsThere() throws IOException {
        system(true, caps(true));
        TransparentCapabilities c = new TransparentProbe(root, "amd64", kernel(null, null)).run();
        assertThat(c.usable()).isTrue();
        assertThat(c.refusal()).isEmpty();
        assertThat(c.btfFunctionId()).isPositive();
        assertThat(c.hook().evidence()).contains("int update_socket_protocol(int family, int type, int protocol)");
    }

    @Test
    void noBtf() throws IOException {
        system(false, caps(true));
        Files.writeString(root.resolve("boot/config-6.12.0-test"), "# CONFIG_DEBUG_INFO_BTF is not set\n");
        TransparentCapabilities c = new TransparentProbe(root, "amd64", kernel(null, null)).run();
        assertThat(c.missing()).containsExactly(Missing.BTF);
        assertThat(c.refusal().orElseThrow()).contains("the kernel has no BTF: /sys/kernel/btf/vmlinux does not exist")
                .contains("CONFIG_DEBUG_INFO_BTF is not set in /boot/config-6.12.0-test");
    }

    @Test
    void noHookBefore66() throws IOException {
        system(true, caps(true));
        BtfTest.BtfBuilder b = new BtfTest.BtfBuilder(ByteOrder.nativeOrder());
        b.type("int", 1, 0, 4, 32);
        Files.write(root.resolve("sys/kernel/btf/vmlinux"), b.blob());
        TransparentCapabilities c = new TransparentProbe(root, "amd64", kernel(null, null)).run();
        assertThat(c.missing()).containsExactly(Missing.HOOK);
        assertThat(c.refusal().orElseThrow()).contains("has no update_socket_protocol() in its BTF: the hook exists from Linux 6.6");
    }

    @Test
    void fmodRetNotAllowedWithoutMptcp() throws IOException {
        system(true, caps(true));
        Files.writeString(root.resolve("boot/config-6.12.0-test"), "# CONFIG_MPTCP is not set\n");
        TransparentCapabilities c = new TransparentProbe(root, "amd64", kernel(new TransparentProbe.TrialFailure("load",
                Errno.exception("bpf(BPF_PROG_LOAD)", Errno.EINVAL), "update_socket_protocol() is not modifiable\n"),
                null)).run();
        assertThat(c.missing()).containsExactly(Missing.FMOD_RET);
        assertThat(c.refusal().orElseThrow()).contains("fmod_ret is not allowed on update_socket_protocol")
                .contains("MPTCP is not set in /boot/config-6.12.0-test")
                .contains("verifier log: update_socket_protocol() is not modifiable");
    }

    @Test
    void noTrampolineOnS390x() throws IOException {
        system(true, caps(true));
        Files.writeString(root.resolve("boot/config-6.12.0-test"), "# CONFIG_BPF_JIT is not set\n");
        TransparentCapabilities c = new TransparentProbe(root, "s390x", kernel(new TransparentProbe.TrialFailure("attach",
                new SmcNativeException("bpf(BPF_LINK_CREATE)", 524, "ENOTSUPP", "Operation not supported by the kernel"),
                ""), null)).run();
        assertThat(c.missing()).containsExactly(Missing.JIT);
        assertThat(c.refusal().orElseThrow()).contains("no BPF trampoline on this kernel")
                .contains("CONFIG_BPF_JIT is not set").contains("Debian's s390x kernel has no BPF JIT");
        assertThat(c.syscall().evidence()).isEqualTo("bpf(2) is system call 351 on s390x");
    }

    @Test
    void noCapabilities() throws IOException {
        system(true, caps(false));
        TransparentCapabilities c = new TransparentProbe(root, "amd64", kernel(new TransparentProbe.TrialFailure("map",
                Errno.exception("bpf(BPF_MAP_CREATE)", Errno.EPERM), ""), null)).run();
        assertThat(c.missing()).containsExactly(Missing.PRIVILEGE);
        assertThat(c.refusal().orElseThrow()).contains("needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)")
                .contains("has neither");
    }

    @Test
    void unknownArchitecture() throws IOException {
        system(true, caps(true));
        TransparentCapabilities c = new TransparentProbe(root, "sparcv9", kernel(null, null)).run();
        assertThat(c.missing()).containsExactly(Missing.ARCHITECTURE);
        assertThat(c.trialLoad().evidence()).isEqualTo("not tried: no bpf(2) here");
    }

    @Test
    void noSmcListedBesideAnotherMissingPiece() throws IOException {
        system(false, caps(true));
        TransparentCapabilities c = new TransparentProbe(root, "amd64",
                kernel(null, Errno.exception("socket(AF_INET, SOCK_STREAM, IPPROTO_SMC)", Errno.EPROTONOSUPPORT))).run();
        assertThat(c.missing()).containsExactly(Missing.BTF, Missing.SMC);
    }

    private void system(boolean btf, String status) throws IOException {
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.createDirectories(root.resolve("proc/self"));
        Files.createDirectories(root.resolve("sys/kernel/btf"));
        Files.createDirectories(root.resolve("boot"));
        Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "6.12.0-test\n");
        Files.writeString(root.resolve("proc/self/status"), "Name:\tjava\n" + status);
        if (btf) {
            BtfTest.BtfBuilder b = new BtfTest.BtfBuilder(ByteOrder.nativeOrder());
            int i = b.type("int", 1, 0, 4, 0x01000020);
            int proto = b.type("", 13, 3, i, b.str("family"), i, b.str("type"), i, b.str("protocol"), i);
            b.type("update_socket_protocol", 12, 1, proto);
            Files.write(root.resolve("sys/kernel/btf/vmlinux"), b.blob());
        }
    }

    private static String caps(boolean all) {
        return "CapEff:\t" + (all ? "000001ffffffffff" : "0000000000000000") + "\n";
    }

    private static TransparentProbe.Kernel kernel(TransparentProbe.TrialFailure trial, SmcNativeException smc) {
        return new TransparentProbe.Kernel() {
            @Override
            public TransparentProbe.TrialFailure trialLoad(int btfId) {
                return trial;
            }

            @Override
            public SmcNativeException ipprotoSmcSocket() {
                return smc;
            }
        };
    }
}
