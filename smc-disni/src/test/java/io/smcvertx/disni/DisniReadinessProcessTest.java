package io.smcvertx.disni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each refusal the build host can show, in a child JVM with the flags and library path the test
 * chose (this host has no RDMA device, and no libdisni unless the test builds the project's).
 */
class DisniReadinessProcessTest {

    private static final List<String> FLAGS = List.of("--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED");

    @TempDir
    Path dir;

    @Test
    void aMissingLibraryIsReportedAndDisniIsNeverTouchedByTheCheck() throws Exception {
        HostBuild.Result r = HostBuild.java(flagsAndLibraryPath(dir), ProbeChild.class, "probe-then-touch", "127.0.0.1");

        assertThat(r.rc()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString())
                .contains("verdict 127.0.0.1 LIBRARY_MISSING: no libdisni.so in java.library.path (")
                .contains(dir + "); DiSNI's native library is published nowhere")
                .contains("-Djava.library.path=DIR")
                // had the check touched DiSNI, its first failure (UnsatisfiedLinkError) would be spent already
                .contains("touch 1: java.lang.UnsatisfiedLinkError: no disni in java.library.path")
                .contains("touch 2: java.lang.NoClassDefFoundError: Could not initialize class com.ibm.disni.verbs.impl.NativeDispatcher")
                .contains("after 127.0.0.1 LIBRARY_MISSING");
    }

    @Test
    void missingJvmFlagsAreNamedExactlyAndNoRestrictedCallIsMade() throws Exception {
        Path lib = HostBuild.libdisni();

        HostBuild.Result none = HostBuild.java(List.of("-Djava.library.path=" + lib.getParent()), ProbeChild.class, "probe", "127.0.0.1");
        HostBuild.Result noExport = HostBuild.java(List.of("--enable-native-access=ALL-UNNAMED",
                "-Djava.library.path=" + lib.getParent()), ProbeChild.class, "probe", "127.0.0.1");

        assertThat(none.out()).as(none.toString())
                .contains("verdict 127.0.0.1 JVM_FLAGS_MISSING: java.base does not export sun.nio.ch to ALL-UNNAMED")
                .contains("native access is not enabled for ALL-UNNAMED")
                .contains("(fix: --add-exports java.base/sun.nio.ch=ALL-UNNAMED; --enable-native-access=ALL-UNNAMED)");
        // without native access the check must not call dlopen through FFM (JDK 25 would warn about it)
        assertThat(none.err()).as(none.toString()).doesNotContain("restricted method");
        assertThat(noExport.out()).as(noExport.toString())
                .contains("verdict 127.0.0.1 JVM_FLAGS_MISSING: java.base does not export sun.nio.ch to ALL-UNNAMED")
                .contains("(fix: --add-exports java.base/sun.nio.ch=ALL-UNNAMED)")
                .doesNotContain("native access is not enabled");
    }

    @Test
    void withTheLibraryAndFlagsTheHostHasNoRdmaDeviceAndForeignAddressesAreNotLocal() throws Exception {
        Path lib = HostBuild.libdisni();
        assumeTrue(noRdmaDevices(), "this host has RDMA devices (/sys/class/infiniband): the no-device verdict cannot be shown here");

        HostBuild.Result r = HostBuild.java(flagsAndLibraryPath(lib.getParent()), ProbeChild.class, "probe", "127.0.0.1", "192.0.2.1");

        assertThat(r.out()).as(r.toString())
                .contains("verdict 127.0.0.1 NO_RDMA_DEVICE: no RDMA connection manager: rdma_create_event_channel failed: No such device (errno 19)")
                .contains("verdict 192.0.2.1 ADDRESS_NOT_LOCAL: no network interface of this host has 192.0.2.1");
    }

    @Test
    void aFileThatIsNoLibraryIsUnusableWithDlopensReason() throws Exception {
        Files.writeString(dir.resolve("libdisni.so"), "not an ELF file");

        HostBuild.Result r = HostBuild.java(flagsAndLibraryPath(dir), ProbeChild.class, "probe-then-touch", "127.0.0.1");

        assertThat(r.out()).as(r.toString())
                .containsPattern("verdict 127\\.0\\.0\\.1 LIBRARY_UNUSABLE: dlopen\\(.*libdisni\\.so\\) failed: .*(invalid ELF header|file too short)")
                .contains("after 127.0.0.1 LIBRARY_UNUSABLE");
    }

    @Test
    void aLibraryInstalledAfterDisniFailedCannotHelpThatJvmAndTheCheckSaysSo() throws Exception {
        Path lib = HostBuild.libdisni();

        HostBuild.Result r = HostBuild.java(flagsAndLibraryPath(dir), ProbeChild.class, "touch-then-install",
                lib.toString(), dir.toString(), "127.0.0.1");

        assertThat(r.out()).as(r.toString())
                .contains("touch 1: java.lang.UnsatisfiedLinkError")
                .contains("verdict 127.0.0.1 LIBRARY_UNUSABLE: DiSNI's native dispatcher failed to initialise earlier in this JVM")
                .contains("restart the JVM with libdisni on java.library.path");
    }

    @Test
    void onTheModulePathDisniIsTheAutomaticModuleDisniAndTheFlagsNameIt() throws Exception {
        Path lib = HostBuild.libdisni();
        assumeTrue(noRdmaDevices(), "this host has RDMA devices (/sys/class/infiniband): the no-device verdict cannot be shown here");
        String check = "io.smcvertx.disni.cli.DisniCheck";

        HostBuild.Result none = HostBuild.javaModule(List.of("-Djava.library.path=" + lib.getParent()),
                "io.smcvertx.disni", check, "127.0.0.1");
        HostBuild.Result flags = HostBuild.javaModule(List.of("--add-exports", "java.base/sun.nio.ch=disni",
                        "--enable-native-access=disni,io.smcvertx.disni", "-Djava.library.path=" + lib.getParent()),
                "io.smcvertx.disni", check, "127.0.0.1=NO_RDMA_DEVICE");

        assertThat(none.out()).as(none.toString())
                .contains("disni-2.1.jar (module disni)")
                .contains("(fix: --add-exports java.base/sun.nio.ch=disni; --enable-native-access=disni; --enable-native-access=io.smcvertx.disni)");
        // with them DiSNI loads the library as a module and reaches librdmacm, which finds no device here
        assertThat(flags.rc()).as(flags.toString()).isZero();
        assertThat(flags.out()).as(flags.toString())
                .contains("127.0.0.1 NO_RDMA_DEVICE: no RDMA connection manager: rdma_create_event_channel failed: No such device");
    }

    private static List<String> flagsAndLibraryPath(Path libraryDir) {
        return Stream.concat(FLAGS.stream(), Stream.of("-Djava.library.path=" + libraryDir)).toList();
    }

    private static boolean noRdmaDevices() throws IOException {
        Path ib = Path.of("/sys/class/infiniband");
        if (!Files.isDirectory(ib)) {
            return true;
        }
        try (Stream<Path> devices = Files.list(ib)) {
            return devices.findAny().isEmpty();
        }
    }
}
