package io.smcvertx.transport;

import io.smcvertx.transport.internal.probe.SmcProbe;
import java.util.Optional;

/**
 * Whether this JVM can make SMC sockets, found out once and kept, like Netty's {@code Epoll}.
 * Loading this class never throws; everything that went wrong is in {@link #unavailabilityCause()},
 * worded so that a person can act on it, for example
 * "kernel has no SMC: socket(AF_SMC) -> EAFNOSUPPORT (97): kernel 7.2.13+deb14-amd64 was built
 * without CONFIG_SMC (CONFIG_DIBS is not set in /boot/config-7.2.13+deb14-amd64, and CONFIG_SMC
 * depends on it since Linux 6.18); use a kernel built with CONFIG_SMC". Where the kernel's build
 * configuration cannot be read, the cause lists the files tried.
 *
 * <p>Setting the system property {@value #NO_SMC_PROPERTY} to {@code true} makes SMC
 * unavailable without probing (a kill switch for a misbehaving kernel).
 */
public final class Smc {

    /** The kill-switch system property. */
    public static final String NO_SMC_PROPERTY = SmcProbe.NO_SMC_PROPERTY;

    private static final SmcProbe.Result RESULT = SmcProbe.probeSystem();

    private Smc() {
    }

    /** Whether an SMC socket can be made ({@code AF_SMC} or {@code IPPROTO_SMC}). */
    public static boolean isAvailable() {
        return RESULT.available();
    }

    /** Throws {@link SmcUnavailableException} (with the cause) unless {@link #isAvailable()}. */
    public static void ensureAvailability() {
        if (!RESULT.available()) {
            SmcUnavailableException cause = RESULT.cause();
            throw new SmcUnavailableException(cause.getMessage(), cause);
        }
    }

    /** Why SMC is unavailable, or {@code null} when it is available (the contract of Netty's {@code Epoll}). */
    public static Throwable unavailabilityCause() {
        return RESULT.cause();
    }

    /** {@link #unavailabilityCause()} as an {@code Optional}. */
    public static Optional<SmcUnavailableException> unavailability() {
        return Optional.ofNullable(RESULT.cause());
    }

    /** What the kernel offers, each fact with its evidence. */
    public static SmcCapabilities capabilities() {
        return RESULT.capabilities();
    }

    /**
     * The socket call that {@code api} stands for on this kernel: {@link SmcSocketApi#AUTO}
     * becomes {@link SmcSocketApi#AF_SMC} when usable, else {@link SmcSocketApi#IPPROTO_SMC}.
     * A forced choice is returned as it is, even when the probe found it unusable (the socket
     * call will then fail with the kernel's own errno).
     */
    public static SmcSocketApi resolve(SmcSocketApi api) {
        if (api != SmcSocketApi.AUTO) {
            return api;
        }
        SmcCapabilities caps = RESULT.capabilities();
        return !caps.afSmcUsable() && caps.ipprotoSmcUsable() ? SmcSocketApi.IPPROTO_SMC : SmcSocketApi.AF_SMC;
    }
}
