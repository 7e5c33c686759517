package io.smcvertx.disni.internal;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What this JVM offers DiSNI, read without initialising any DiSNI class.
 *
 * @param disniModule       the module DiSNI's classes are in, as JVM flags name it ({@code ALL-UNNAMED}
 *                          on the class path, {@code disni} as an automatic module); empty when DiSNI is absent
 * @param disniLocation     where DiSNI's classes were loaded from, for the evidence
 * @param sunNioChExported  whether {@code java.base} exports (or opens) {@code sun.nio.ch} to DiSNI's module
 * @param disniNativeAccess whether DiSNI's module may load JNI libraries without a warning
 * @param ownModule         this module, as JVM flags name it
 * @param ownNativeAccess   whether this module may use FFM (the library check below needs it)
 * @param librarySearchPath the directories {@code System.loadLibrary} searches, in its order
 */
public record JvmFacts(Optional<String> disniModule, String disniLocation, boolean sunNioChExported,
                       boolean disniNativeAccess, String ownModule, boolean ownNativeAccess,
                       List<Path> librarySearchPath) {

    /** DiSNI's class that loads {@code libdisni} in its static initialiser. */
    public static final String DISPATCHER = "com.ibm.disni.verbs.impl.NativeDispatcher";

    public JvmFacts {
        Objects.requireNonNull(disniModule, "`disniModule` must not be `null`");
        Objects.requireNonNull(disniLocation, "`disniLocation` must not be `null`");
        Objects.requireNonNull(ownModule, "`ownModule` must not be `null`");
        librarySearchPath = List.copyOf(librarySearchPath);
    }

    /** Reads this JVM. Loads DiSNI's dispatcher class but never initialises it. */
    public static JvmFacts current() {
        Module own = JvmFacts.class.getModule();
        List<Path> search = new ArrayList<>();
        // System.loadLibrary from a class path or application module: the JDK's own directory first
        search.addAll(parsePath(System.getProperty("sun.boot.library.path", "")));
        search.addAll(parsePath(System.getProperty("java.library.path", "")));
        Class<?> dispatcher;
        try {
            dispatcher = Class.forName(DISPATCHER, false, JvmFacts.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return new JvmFacts(Optional.empty(), "not found: " + e, false, false, flagName(own),
                    own.isNativeAccessEnabled(), search);
        }
        Module disni = dispatcher.getModule();
        var source = dispatcher.getProtectionDomain().getCodeSource();
        return new JvmFacts(Optional.of(flagName(disni)),
                source == null || source.getLocation() == null ? "unknown location" : source.getLocation().toString(),
                Object.class.getModule().isExported("sun.nio.ch", disni), disni.isNativeAccessEnabled(),
                flagName(own), own.isNativeAccessEnabled(), search);
    }

    /** Splits a library path the way the JDK does: an empty element means the working directory. */
    static List<Path> parsePath(String path) {
        List<Path> dirs = new ArrayList<>();
        if (path.isEmpty()) {
            return dirs;
        }
        for (String element : path.split(File.pathSeparator, -1)) {
            dirs.add(Path.of(element.isEmpty() ? "." : element));
        }
        return dirs;
    }

    private static String flagName(Module module) {
        return module.isNamed() ? module.getName() : "ALL-UNNAMED";
    }
}
