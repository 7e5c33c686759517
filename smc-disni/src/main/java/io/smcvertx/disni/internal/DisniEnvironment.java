package io.smcvertx.disni.internal;

import static io.smcvertx.disni.RdmaReadinessStatus.DISNI_MISSING;
import static io.smcvertx.disni.RdmaReadinessStatus.JVM_FLAGS_MISSING;
import static io.smcvertx.disni.RdmaReadinessStatus.LIBRARY_MISSING;
import static io.smcvertx.disni.RdmaReadinessStatus.LIBRARY_UNUSABLE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything the readiness verdict needs to know about the JVM before DiSNI may be touched, in
 * the order it is checked: DiSNI present, {@code libdisni.so} on the library path, the JVM flags,
 * then the library itself opened with {@code dlopen}. DiSNI's dispatcher loads the library in its
 * static initialiser, so a missing or broken library would make the first DiSNI call throw
 * {@link UnsatisfiedLinkError} and every later one {@link NoClassDefFoundError}: these checks are
 * what keeps that from ever happening to a JVM that asks.
 */
public final class DisniEnvironment {

    /** The library {@code System.loadLibrary("disni")} looks for. */
    public static final String LIBRARY_FILE = System.mapLibraryName("disni");

    /** JNI symbol prefix of DiSNI's {@code NativeDispatcher} natives (each name starts with '_', mangled "_1"). */
    public static final String SYMBOL_PREFIX = "Java_com_ibm_disni_verbs_impl_NativeDispatcher__1";

    /**
     * The natives the readiness check reaches: DiSNI's constructor checks (version, struct sizes)
     * and bind, device context, protection domain, completion channel and queue, queue pair and
     * their teardown. A library without them is reported before DiSNI could fail on them.
     */
    public static final List<String> READINESS_NATIVES = List.of(
            "getVersion", "getSockAddrInSize", "getIbvRecvWRSize", "getIbvSendWRSize", "getIbvSgeSize",
            "getIbvWCSize", "getRemoteAddressOffset", "getRKeyOffset",
            "createEventChannel", "createId", "bindAddr", "getContext", "getContextFd", "allocPd",
            "createCompChannel", "createCQ", "createQP", "getQpNum",
            "destroyQP", "destroyCQ", "destroyCompChannel", "getPdHandle", "deallocPd", "destroyCmId", "destroyEventChannel");

    private static final String BUILD_HINT = "build one (smc-disni/src/main/native/build-libdisni.sh DIR, or DiSNI's own, "
            + "see smc-disni/README.md) and start the JVM with -Djava.library.path=DIR";

    private final List<EnvironmentCheck> checks;

    private DisniEnvironment(List<EnvironmentCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    /** Inspects this JVM. */
    public static DisniEnvironment inspect() {
        return of(JvmFacts.current());
    }

    /** Runs the checks over {@code facts}; the library check opens the real file it names. */
    public static DisniEnvironment of(JvmFacts facts) {
        Objects.requireNonNull(facts, "`facts` must not be `null`");
        List<EnvironmentCheck> checks = new ArrayList<>();
        if (facts.disniModule().isEmpty()) {
            checks.add(EnvironmentCheck.fail(DISNI_MISSING, "DiSNI's " + JvmFacts.DISPATCHER + " is " + facts.disniLocation(),
                    "add com.ibm.disni:disni:2.1 to the class path"));
            return new DisniEnvironment(checks);
        }
        String disni = facts.disniModule().get();
        checks.add(EnvironmentCheck.pass(DISNI_MISSING, "DiSNI from " + facts.disniLocation() + " (module " + disni + ")"));

        Optional<Path> library = facts.librarySearchPath().stream()
                .map(dir -> dir.resolve(LIBRARY_FILE)).filter(Files::isRegularFile).findFirst();
        checks.add(library.map(l -> EnvironmentCheck.pass(LIBRARY_MISSING, LIBRARY_FILE + " found: " + l))
                .orElseGet(() -> EnvironmentCheck.fail(LIBRARY_MISSING, "no " + LIBRARY_FILE + " in java.library.path ("
                        + facts.librarySearchPath().stream().map(Path::toString).collect(Collectors.joining(":"))
                        + "); DiSNI's native library is published nowhere", BUILD_HINT)));

        checks.add(facts.sunNioChExported()
                ? EnvironmentCheck.pass(JVM_FLAGS_MISSING, "java.base exports sun.nio.ch to " + disni)
                : EnvironmentCheck.fail(JVM_FLAGS_MISSING, "java.base does not export sun.nio.ch to " + disni
                        + " (DiSNI casts every direct buffer to sun.nio.ch.DirectBuffer: IllegalAccessError)",
                        "--add-exports java.base/sun.nio.ch=" + disni));
        checks.add(facts.disniNativeAccess()
                ? EnvironmentCheck.pass(JVM_FLAGS_MISSING, "native access enabled for " + disni)
                : EnvironmentCheck.fail(JVM_FLAGS_MISSING, "native access is not enabled for " + disni
                        + " (DiSNI loads libdisni with System.loadLibrary: JDK 25 warns, --illegal-native-access=deny refuses)",
                        "--enable-native-access=" + disni));
        if (!facts.ownModule().equals(disni)) {
            checks.add(facts.ownNativeAccess()
                    ? EnvironmentCheck.pass(JVM_FLAGS_MISSING, "native access enabled for " + facts.ownModule())
                    : EnvironmentCheck.fail(JVM_FLAGS_MISSING, "native access is not enabled for " + facts.ownModule()
                            + " (its library check uses FFM)", "--enable-native-access=" + facts.ownModule()));
        }

        // dlopen through FFM is itself a restricted call: only with native access for this module
        if (library.isPresent() && facts.ownNativeAccess()) {
            List<String> symbols = READINESS_NATIVES.stream().map(n -> SYMBOL_PREFIX + n).toList();
            Optional<String> problem;
            try {
                problem = SharedLibraryCheck.problem(library.get(), symbols);
            } catch (LinkageError e) {
                problem = Optional.of("dlopen is not reachable through FFM here: " + e);
            }
            checks.add(problem.map(p -> EnvironmentCheck.fail(LIBRARY_UNUSABLE, p,
                            "install libibverbs1 and librdmacm1 if dlopen names them; else " + BUILD_HINT))
                    .orElseGet(() -> EnvironmentCheck.pass(LIBRARY_UNUSABLE, library.get()
                            + " loads (dlopen RTLD_NOW) and defines the " + symbols.size() + " natives the check uses")));
        }
        return new DisniEnvironment(checks);
    }

    /** Every check, passed or not, in the order they ran. */
    public List<EnvironmentCheck> checks() {
        return checks;
    }

    /** The checks that failed, in order; the first decides the verdict. */
    public List<EnvironmentCheck> failures() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }

    /** True when DiSNI may be touched: nothing failed and the library was opened once already. */
    public boolean allowsDisni() {
        return failures().isEmpty() && checks.stream().anyMatch(c -> c.failure() == LIBRARY_UNUSABLE);
    }
}
