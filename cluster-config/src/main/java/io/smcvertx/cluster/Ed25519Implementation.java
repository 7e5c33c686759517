package io.smcvertx.cluster;

import io.smcvertx.cluster.internal.ed25519.Ed25519;

/**
 * Which Ed25519 implementation this process signs and verifies revisions, enrollments and host
 * status with, and why: OpenSSL's libcrypto through FFM where it loads and passes RFC 8032's
 * first test vector, else the JDK's. Both give byte-identical signatures (Ed25519 is
 * deterministic); libcrypto costs less CPU. System property {@code smcvertx.ed25519} (or
 * environment variable {@code SMCVERTX_ED25519}) = {@code jdk} forces the JDK's,
 * {@code libcrypto} demands libcrypto (where it cannot be used, every signature and verification
 * throws an IllegalStateException saying why), {@code auto} is the default.
 *
 * @param name   {@code libcrypto} or {@code jdk}
 * @param detail the OpenSSL version and library, or the JDK provider
 * @param reason why this one: forced, or why libcrypto was not used
 */
public record Ed25519Implementation(String name, String detail, String reason) {

    /**
     * The implementation this process uses (chosen, and logged, on first use).
     *
     * @throws IllegalStateException when {@code smcvertx.ed25519} demands libcrypto and it cannot be used
     */
    public static Ed25519Implementation inUse() {
        Ed25519.Choice c = Ed25519.inUse();
        return new Ed25519Implementation(c.engine().name(), c.engine().detail(), c.reason());
    }

    @Override
    public String toString() {
        return name + " (" + detail + "): " + reason;
    }
}
