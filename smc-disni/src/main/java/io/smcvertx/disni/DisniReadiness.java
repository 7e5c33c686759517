package io.smcvertx.disni;

import io.smcvertx.disni.internal.DisniEnvironment;
import io.smcvertx.disni.internal.EnvironmentCheck;
import io.smcvertx.disni.internal.VerbsProbe;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Says, per IPv4 address, whether RDMA verbs can be used through it with DiSNI: "an RDMA device
 * is bound to it and a protection domain, completion queue and queue pair can be created".
 *
 * <p>DiSNI reaches a device only through rdma_cm, by binding an address; it cannot list devices
 * or query ports and GIDs. Its dispatcher loads {@code libdisni} (published nowhere: users build
 * it) the first time it is used, and a failed load leaves DiSNI unusable for the JVM's lifetime
 * ({@link UnsatisfiedLinkError} first, {@link NoClassDefFoundError} after). So {@link #create()}
 * first checks, without initialising any DiSNI class, that the library is on
 * {@code java.library.path} and opens with {@code dlopen}, and that the JVM has the flags JDK 25
 * needs; only then does {@link #check} touch DiSNI. A JVM that asks is never left with a
 * poisoned DiSNI by the asking.
 *
 * <pre>{@code
 * DisniReadiness readiness = DisniReadiness.create();
 * RdmaReadiness r = readiness.check((Inet4Address) InetAddress.getByName("10.98.0.1"));
 * if (!r.isReady()) log.warn("no RDMA through {}: {} {}", r.address(), r.status(), r.evidence());
 * }</pre>
 *
 * <p>{@link #check} makes blocking system calls (milliseconds): never call it on an event loop.
 */
public final class DisniReadiness {

    private final DisniEnvironment environment;

    private DisniReadiness(DisniEnvironment environment) {
        this.environment = environment;
    }

    /** Inspects this JVM (DiSNI present, library, flags) once; the result is reused by every check. */
    public static DisniReadiness create() {
        return new DisniReadiness(DisniEnvironment.inspect());
    }

    /**
     * What keeps DiSNI from being used at all in this JVM, with the evidence of every failed
     * check; empty when nothing does (each address can still fail on its own).
     */
    public Optional<RdmaReadiness> environmentProblem(Inet4Address address) {
        Objects.requireNonNull(address, "`address` must not be `null`");
        List<EnvironmentCheck> failures = environment.failures();
        if (failures.isEmpty()) {
            return Optional.empty();
        }
        EnvironmentCheck first = failures.getFirst();
        String evidence = failures.stream().map(EnvironmentCheck::evidence).collect(Collectors.joining("; "));
        String remedy = failures.stream().map(f -> f.remedy().orElseThrow()).distinct().collect(Collectors.joining("; "));
        return Optional.of(new RdmaReadiness(address, first.failure(), evidence, Optional.of(remedy)));
    }

    /** The checks made by {@link #create()}, passed or not, in the order they ran. */
    public List<String> environmentFindings() {
        return environment.checks().stream().map(EnvironmentCheck::toString).toList();
    }

    /**
     * The verdict for {@code address}. Blocking (rdma_cm and verbs system calls): call it off
     * any event loop.
     */
    public RdmaReadiness check(Inet4Address address) {
        Objects.requireNonNull(address, "`address` must not be `null`");
        Optional<RdmaReadiness> refused = environmentProblem(address);
        if (refused.isPresent()) {
            return refused.get();
        }
        if (!environment.allowsDisni()) {
            // unreachable while the checks stay complete; kept so DiSNI is never touched on a gap
            return new RdmaReadiness(address, RdmaReadinessStatus.LIBRARY_UNUSABLE,
                    "the library was not verified with dlopen", Optional.of("enable native access for io.smcvertx.disni"));
        }
        try {
            if (NetworkInterface.getByInetAddress(address) == null) {
                return new RdmaReadiness(address, RdmaReadinessStatus.ADDRESS_NOT_LOCAL, "no network interface of this host has "
                        + address.getHostAddress(), Optional.of("check the address; rdma_cm binds only local addresses"));
            }
        } catch (SocketException e) {
            return new RdmaReadiness(address, RdmaReadinessStatus.ADDRESS_NOT_LOCAL, "the interfaces could not be listed: "
                    + e.getMessage(), Optional.of("check the address"));
        }
        return VerbsProbe.probe(address);
    }
}
