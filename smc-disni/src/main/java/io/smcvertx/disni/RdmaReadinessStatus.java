package io.smcvertx.disni;

/**
 * The verdict for one IPv4 address, in the order the checks run: the first check that fails
 * decides. Everything before {@link #ADDRESS_NOT_LOCAL} is about this JVM, not the address, and
 * is found without touching a DiSNI class that would load {@code libdisni}.
 */
public enum RdmaReadinessStatus {
    /** DiSNI's classes ({@code com.ibm.disni:disni}) are not on the class or module path. */
    DISNI_MISSING,
    /** No {@code libdisni.so} in any directory of {@code java.library.path}. */
    LIBRARY_MISSING,
    /**
     * The JVM lacks a flag DiSNI needs on JDK 25: {@code --add-exports java.base/sun.nio.ch=...}
     * (DiSNI casts direct buffers to {@code sun.nio.ch.DirectBuffer}) or
     * {@code --enable-native-access=...} (DiSNI loads a JNI library; this module uses FFM).
     */
    JVM_FLAGS_MISSING,
    /**
     * A {@code libdisni.so} was found but cannot serve: it does not load (a missing libibverbs or
     * librdmacm, not an ELF library), lacks DiSNI's entry points, is of another DiSNI version, or
     * DiSNI already failed to load a library earlier in this JVM.
     */
    LIBRARY_UNUSABLE,
    /** No network interface of this host has the address. */
    ADDRESS_NOT_LOCAL,
    /** rdma_cm reached no RDMA device through the address (none on the host, or none on its interface). */
    NO_RDMA_DEVICE,
    /** A device was reached, but a protection domain, completion queue or queue pair could not be made. */
    VERBS_FAILED,
    /** An RDMA device is bound to the address and a protection domain, completion queue and queue pair can be created. */
    READY
}
