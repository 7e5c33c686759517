package io.smcvertx.disni.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.disni.HostBuild;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's libdisni against DiSNI's jar: a C prototype is generated for every native method
 * of {@code NativeDispatcher} (read by reflection, the class is never initialised) and the
 * library is compiled with it, so a parameter or return type that differs from DiSNI's
 * declaration is a compile error. Also: the library defines nothing DiSNI does not declare,
 * covers what the readiness check needs, and its list of omitted natives is the true one.
 */
class LibdisniSignatureTest {

    private static final Pattern DEFINED = Pattern.compile("JNIEXPORT \\w+ JNICALL NATIVE\\((\\w+)\\)");
    private static final Pattern OMITTED = Pattern.compile(
            "Natives of NativeDispatcher that are NOT here[^:]*:(.*?)\\.\\s*\\n \\*/", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theLibraryCompilesAgainstPrototypesGeneratedFromDisnisJar() throws Exception {
        HostBuild.assumeToolchain();
        Path header = writeHeader(natives());

        HostBuild.Result r = HostBuild.run(java.util.List.of("bash", HostBuild.BUILD_SCRIPT.toString(), dir.resolve("out").toString()),
                Map.of("LIBDISNI_CFLAGS", "-include " + header));

        assertThat(r.rc()).as(r.toString()).isZero();
    }

    @Test
    void aDefinitionThatDiffersFromDisnisDeclarationDoesNotCompile() throws Exception {
        HostBuild.assumeToolchain();
        Path header = writeHeader(natives());
        // _createEventChannel returns long in DiSNI: an int here must be refused
        Path wrong = Files.writeString(dir.resolve("wrong.c"), "#include <jni.h>\n"
                + "JNIEXPORT jint JNICALL " + DisniEnvironment.SYMBOL_PREFIX + "createEventChannel(JNIEnv *e, jobject o) { return 0; }\n");

        HostBuild.Result r = HostBuild.run(java.util.List.of("gcc", "-fsyntax-only", "-include", header.toString(),
                "-I/usr/lib/jvm/temurin-25-jdk-amd64/include", "-I/usr/lib/jvm/temurin-25-jdk-amd64/include/linux", wrong.toString()), Map.of("LC_ALL", "C"));

        assertThat(r.rc()).isNotZero();
        assertThat(r.err()).contains("conflicting types for '" + DisniEnvironment.SYMBOL_PREFIX + "createEventChannel'");
    }

    @Test
    void theLibraryDefinesOnlyDisnisNativesCoversTheCheckAndListsWhatItOmits() throws Exception {
        String source = Files.readString(HostBuild.SOURCE);
        Set<String> defined = new TreeSet<>();
        Matcher m = DEFINED.matcher(source);
        while (m.find()) {
            defined.add(m.group(1));
        }
        Set<String> declared = natives().keySet();
        Matcher omittedText = OMITTED.matcher(source);
        assertThat(omittedText.find()).as("the omitted-natives paragraph of libdisni.c").isTrue();
        Set<String> documented = Arrays.stream(omittedText.group(1).split(","))
                .map(s -> s.replaceAll("[\\s*]", "").replaceFirst("^_", "")).collect(Collectors.toCollection(TreeSet::new));

        assertThat(declared).containsAll(defined);
        assertThat(defined).containsAll(DisniEnvironment.READINESS_NATIVES);
        Set<String> omitted = new TreeSet<>(declared);
        omitted.removeAll(defined);
        assertThat(documented).isEqualTo(omitted);
    }

    /** name (without the leading '_') -> C prototype, from DiSNI's declarations. */
    private static Map<String, String> natives() throws ClassNotFoundException {
        Class<?> dispatcher = Class.forName(JvmFacts.DISPATCHER, false, LibdisniSignatureTest.class.getClassLoader());
        Map<String, String> prototypes = new TreeMap<>();
        for (Method method : dispatcher.getDeclaredMethods()) {
            if (Modifier.isNative(method.getModifiers())) {
                String params = Arrays.stream(method.getParameterTypes()).map(t -> ", " + jni(t)).collect(Collectors.joining());
                prototypes.put(method.getName().substring(1), "JNIEXPORT " + jni(method.getReturnType()) + " JNICALL "
                        + DisniEnvironment.SYMBOL_PREFIX + method.getName().substring(1) + "(JNIEnv *, jobject" + params + ");");
            }
        }
        assertThat(prototypes).as("natives of " + JvmFacts.DISPATCHER).hasSizeGreaterThan(40);
        return prototypes;
    }

    private Path writeHeader(Map<String, String> prototypes) throws Exception {
        return Files.writeString(dir.resolve("disni-natives.h"),
                "#include <jni.h>\n" + String.join("\n", prototypes.values()) + "\n");
    }

    private static String jni(Class<?> type) {
        return switch (type.getName()) {
            case "void" -> "void";
            case "long" -> "jlong";
            case "int" -> "jint";
            case "short" -> "jshort";
            case "byte" -> "jbyte";
            case "boolean" -> "jboolean";
            default -> throw new AssertionError("a native of DiSNI takes " + type + ": extend the mapping");
        };
    }
}
