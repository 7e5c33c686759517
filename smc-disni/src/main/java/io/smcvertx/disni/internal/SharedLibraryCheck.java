package io.smcvertx.disni.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens a shared library with {@code dlopen(RTLD_NOW)} through FFM, looks up symbols, and closes
 * it again. A library that {@code System.loadLibrary} fails to load leaves DiSNI's dispatcher class
 * unusable for the rest of the JVM's life; {@code dlopen} failing here costs nothing, and its
 * {@code dlerror} text says why (a missing libibverbs, a file that is not a library).
 */
final class SharedLibraryCheck {

    private static final int RTLD_NOW = 2;
    private static final MethodHandle DLOPEN;
    private static final MethodHandle DLSYM;
    private static final MethodHandle DLCLOSE;
    private static final MethodHandle DLERROR;

    static {
        // glibc 2.34+ has the dl* functions in libc itself, which the default lookup covers
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        DLOPEN = linker.downcallHandle(libc.findOrThrow("dlopen"),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        DLSYM = linker.downcallHandle(libc.findOrThrow("dlsym"),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        DLCLOSE = linker.downcallHandle(libc.findOrThrow("dlclose"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        DLERROR = linker.downcallHandle(libc.findOrThrow("dlerror"), FunctionDescriptor.of(ValueLayout.ADDRESS));
    }

    private SharedLibraryCheck() {
    }

    /**
     * Why {@code library} cannot serve, or empty when it loads and defines every symbol.
     *
     * @param symbols names that must be defined in it
     */
    static Optional<String> problem(Path library, List<String> symbols) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) DLOPEN.invokeExact(
                    arena.allocateFrom(library.toAbsolutePath().toString()), RTLD_NOW);
            if (handle.equals(MemorySegment.NULL)) {
                return Optional.of("dlopen(" + library + ") failed: " + lastError());
            }
            List<String> missing = new ArrayList<>();
            try {
                for (String symbol : symbols) {
                    MemorySegment address = (MemorySegment) DLSYM.invokeExact(handle, arena.allocateFrom(symbol));
                    if (address.equals(MemorySegment.NULL)) {
                        missing.add(symbol);
                    }
                }
            } finally {
                int ignored = (int) DLCLOSE.invokeExact(handle);
            }
            return missing.isEmpty() ? Optional.empty()
                    : Optional.of(library + " lacks " + missing.size() + " of DiSNI's entry points: " + String.join(", ", missing));
        } catch (Throwable t) {
            return Optional.of("dlopen(" + library + ") could not be called: " + t);
        }
    }

    private static String lastError() throws Throwable {
        MemorySegment message = (MemorySegment) DLERROR.invokeExact();
        return message.equals(MemorySegment.NULL) ? "no dlerror text" : message.reinterpret(4096).getString(0);
    }
}
