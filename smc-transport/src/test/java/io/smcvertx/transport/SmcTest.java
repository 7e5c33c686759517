package io.smcvertx.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.smcvertx.transport.internal.ffm.Errno;
import io.smcvertx.transport.internal.ffm.LibC;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The JVM-wide probe against the running kernel, checked against an independent socket(2) call
 * made here: on the host (no SMC) it must report the kernel's own errno, in the lab availability.
 */
class SmcTest {

    /** errno of socket(domain, SOCK_STREAM, protocol), 0 when it succeeded. */
    private static int errnoOf(int domain, int protocol) {
        try {
            LibC.close(LibC.socket("socket", domain, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, protocol));
            return 0;
        } catch (SmcNativeException e) {
            return e.errno();
        }
    }

    @Test
    void reportsWhatTheKernelSaysAboutAfSmc() {
        int afSmc = errnoOf(LibC.AF_SMC, LibC.SMCPROTO_SMC);
        int ipproto = errnoOf(LibC.AF_INET, LibC.IPPROTO_SMC);
        SmcCapabilities caps = Smc.capabilities();

        assertThat(caps.afSmcUsable()).isEqualTo(afSmc == 0);
        assertThat(caps.ipprotoSmcUsable()).isEqualTo(ipproto == 0);
        assertThat(Smc.isAvailable()).isEqualTo(afSmc == 0 || ipproto == 0);
        if (afSmc != 0) {
            assertThat(caps.afSmc().evidence()).contains(Errno.name(afSmc) + " (" + afSmc);
        }
        if (ipproto != 0) {
            assertThat(caps.ipprotoSmc().evidence()).contains(Errno.name(ipproto) + " (" + ipproto);
        }
    }

    @Test
    void withoutSmcTheCauseSaysWhatToDo() {
        int afSmc = errnoOf(LibC.AF_SMC, LibC.SMCPROTO_SMC);
        if (Smc.isAvailable()) {
            assertThat(Smc.unavailabilityCause()).isNull();
            assertDoesNotThrow(Smc::ensureAvailability);
            return;
        }
        Throwable cause = Smc.unavailabilityCause();
        assertThat(cause).isInstanceOf(SmcUnavailableException.class);
        assertThat(cause.getCause()).isInstanceOf(SmcNativeException.class);
        SmcNativeException nativeCause = (SmcNativeException) cause.getCause();
        assertThat(nativeCause.errno()).isEqualTo(afSmc);
        assertThat(nativeCause.syscall()).isEqualTo("socket(AF_SMC)");
        if (afSmc == Errno.EAFNOSUPPORT) {
            // the why comes from this machine's kernel config or module tree, or says what it tried
            assertThat(cause.getMessage()).startsWith("kernel has no SMC: socket(AF_SMC) -> EAFNOSUPPORT (97): ")
                    .containsAnyOf(" was built without CONFIG_SMC (", " has SMC as a module (", "not readable here (tried ");
        }
        assertThatThrownBy(Smc::ensureAvailability)
                .isInstanceOf(SmcUnavailableException.class)
                .hasMessage(cause.getMessage())
                .hasCause(cause);
        assertThat(Smc.unavailability()).containsSame((SmcUnavailableException) cause);
    }

    @Test
    void kernelReleaseIsUnameR() throws Exception {
        String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        assertThat(Smc.capabilities().kernelRelease()).isEqualTo(release).isEqualTo(System.getProperty("os.version"));
    }

    @Test
    void withoutSmcNoDeviceIsClaimedAndTheUeidIsHonestlyUnknown() {
        SmcCapabilities caps = Smc.capabilities();
        if (!Smc.isAvailable()) {
            assertThat(caps.loopbackIsm().state()).isEqualTo(SmcCapabilities.State.NO);
        }
        assertThat(caps.ueid().state()).isEqualTo(SmcCapabilities.State.UNKNOWN);
        assertThat(caps.toString()).contains("kernel " + caps.kernelRelease());
    }
}
