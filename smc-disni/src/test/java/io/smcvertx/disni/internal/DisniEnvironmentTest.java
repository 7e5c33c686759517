package io.smcvertx.disni.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.disni.HostBuild;
import io.smcvertx.disni.RdmaReadinessStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order and wording of the environment checks, over facts chosen by the test and real files. */
class DisniEnvironmentTest {

    @TempDir
    Path dir;

    private JvmFacts facts(Optional<String> disniModule, boolean exported, boolean nativeAccess, List<Path> search) {
        return new JvmFacts(disniModule, "test", exported, nativeAccess, "io.smcvertx.disni", nativeAccess, search);
    }

    @Test
    void withoutDisniNothingElseIsChecked() {
        DisniEnvironment env = DisniEnvironment.of(facts(Optional.empty(), true, true, List.of(dir)));

        assertThat(env.failures()).singleElement().satisfies(f -> {
            assertThat(f.failure()).isEqualTo(RdmaReadinessStatus.DISNI_MISSING);
            assertThat(f.remedy()).contains("add com.ibm.disni:disni:2.1 to the class path");
        });
        assertThat(env.allowsDisni()).isFalse();
    }

    @Test
    void aMissingLibraryComesFirstAndEveryMissingFlagIsNamedForDisnisModule() {
        // DiSNI as the automatic module "disni" (module path): the flags name it, not ALL-UNNAMED
        DisniEnvironment env = DisniEnvironment.of(facts(Optional.of("disni"), false, false, List.of(dir, dir.resolve("x"))));

        assertThat(env.failures()).extracting(EnvironmentCheck::failure).containsExactly(
                RdmaReadinessStatus.LIBRARY_MISSING, RdmaReadinessStatus.JVM_FLAGS_MISSING,
                RdmaReadinessStatus.JVM_FLAGS_MISSING, RdmaReadinessStatus.JVM_FLAGS_MISSING);
        assertThat(env.failures().get(0).evidence()).contains("no libdisni.so in java.library.path (" + dir + ":" + dir.resolve("x") + ")");
        assertThat(env.failures()).extracting(f -> f.remedy().orElseThrow()).contains(
                "--add-exports java.base/sun.nio.ch=disni", "--enable-native-access=disni",
                "--enable-native-access=io.smcvertx.disni");
        assertThat(env.allowsDisni()).isFalse();
    }

    @Test
    void theLibraryIsFoundInTheFirstDirectoryThatHasIt() throws Exception {
        Path second = Files.createDirectory(dir.resolve("second"));
        Files.writeString(second.resolve("libdisni.so"), "not a library");

        DisniEnvironment env = DisniEnvironment.of(facts(Optional.of("ALL-UNNAMED"), true, true, List.of(dir, second)));

        assertThat(env.checks()).anySatisfy(c -> assertThat(c.toString()).isEqualTo("ok: libdisni.so found: " + second.resolve("libdisni.so")));
        assertThat(env.failures()).singleElement().satisfies(f -> {
            assertThat(f.failure()).isEqualTo(RdmaReadinessStatus.LIBRARY_UNUSABLE);
            assertThat(f.evidence()).startsWith("dlopen(" + second.resolve("libdisni.so") + ") failed: ");
        });
    }

    @Test
    void withoutNativeAccessTheLibraryIsNotOpened() throws Exception {
        Files.writeString(dir.resolve("libdisni.so"), "not a library");

        DisniEnvironment env = DisniEnvironment.of(facts(Optional.of("ALL-UNNAMED"), true, false, List.of(dir)));

        assertThat(env.failures()).extracting(EnvironmentCheck::failure).containsOnly(RdmaReadinessStatus.JVM_FLAGS_MISSING);
        assertThat(env.checks()).noneMatch(c -> c.failure() == RdmaReadinessStatus.LIBRARY_UNUSABLE);
    }

    @Test
    void aLibraryWithoutDisnisEntryPointsIsUnusableAndNamesThem() throws Exception {
        HostBuild.assumeToolchain();
        Path c = Files.writeString(dir.resolve("empty.c"), "int smc_disni_test_only(void) { return 1; }\n");
        HostBuild.Result gcc = HostBuild.run(List.of("gcc", "-shared", "-fPIC", "-o", dir.resolve("libdisni.so").toString(), c.toString()), Map.of());
        assertThat(gcc.rc()).as(gcc.toString()).isZero();

        DisniEnvironment env = DisniEnvironment.of(facts(Optional.of("ALL-UNNAMED"), true, true, List.of(dir)));

        assertThat(env.failures()).singleElement().satisfies(f -> assertThat(f.evidence())
                .contains("lacks " + DisniEnvironment.READINESS_NATIVES.size() + " of DiSNI's entry points: ")
                .contains(DisniEnvironment.SYMBOL_PREFIX + "getVersion"));
    }

    @Test
    void theProjectsLibraryPassesEveryCheck() throws Exception {
        Path lib = HostBuild.libdisni();

        DisniEnvironment env = DisniEnvironment.of(facts(Optional.of("ALL-UNNAMED"), true, true, List.of(dir, lib.getParent())));

        assertThat(env.failures()).isEmpty();
        assertThat(env.allowsDisni()).isTrue();
        assertThat(env.checks()).last().satisfies(c -> assertThat(c.evidence())
                .isEqualTo(lib + " loads (dlopen RTLD_NOW) and defines the " + DisniEnvironment.READINESS_NATIVES.size()
                        + " natives the check uses"));
    }

    @Test
    void libraryPathsAreSplitLikeTheJdkDoes() {
        assertThat(JvmFacts.parsePath("")).isEmpty();
        assertThat(JvmFacts.parsePath("/a::/b:")).containsExactly(Path.of("/a"), Path.of("."), Path.of("/b"), Path.of("."));
    }

    @Test
    void thisJvmIsReadFromTheClassPath() {
        JvmFacts facts = JvmFacts.current();

        // surefire runs the tests on the class path with the project's flags (--add-opens implies the export)
        assertThat(facts.disniModule()).contains("ALL-UNNAMED");
        assertThat(facts.disniLocation()).contains("disni-2.1.jar");
        assertThat(facts.sunNioChExported()).isTrue();
        assertThat(facts.disniNativeAccess()).isTrue();
    }
}
