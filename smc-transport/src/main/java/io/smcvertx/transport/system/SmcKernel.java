package io.smcvertx.transport.system;

import io.smcvertx.transport.internal.netlink.NetlinkSmcSystem;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The running kernel's SMC state and configuration: {@link SmcSystem} plus the read-only
 * queries smc-tools offers (system info, devices, link groups, statistics) and the flush
 * commands. Every read works without privileges; writes need CAP_NET_ADMIN.
 *
 * <pre>{@code
 * SmcKernel kernel = SmcKernel.netlink();
 * kernel.addUeid(Ueid.of("MY-FLEET"));
 * System.out.println(kernel.stats().smcd("clnt_v2_succ"));
 * }</pre>
 */
public interface SmcKernel extends SmcSystem {

    /** The default bound on one netlink round trip. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** The netlink-backed implementation for the caller's network namespace. */
    static SmcKernel netlink() {
        return netlink(DEFAULT_TIMEOUT);
    }

    /**
     * The netlink-backed implementation. Creating it does not touch the kernel; each call opens
     * its own netlink socket, so an instance may be shared between threads.
     *
     * @param timeout bound on each netlink round trip
     */
    static SmcKernel netlink(Duration timeout) {
        return new NetlinkSmcSystem(timeout);
    }

    SmcSysInfo sysInfo() throws IOException;

    /** ISM devices; loopback-ISM is deliberately not listed by the kernel. */
    List<SmcDevice> smcdDevices() throws IOException;

    List<SmcDevice> smcrDevices() throws IOException;

    /** SMC-R link groups with their links. */
    List<SmcrLinkGroup> smcrLinkGroups() throws IOException;

    List<SmcdLinkGroup> smcdLinkGroups() throws IOException;

    SmcStats stats() throws IOException;

    SmcFallbackStats fallbackStats() throws IOException;

    /** The PNET table entries of one PNET ID (empty when it has none). */
    List<PnetEntry> pnet(PnetId pnetId) throws IOException;

    /** Empties the software PNET table. */
    void flushPnet() throws IOException;

    /** Removes every UEID (on IBM Z this re-enables the SEID). */
    void flushUeids() throws IOException;

    /** One {@code net.smc} sysctl, or empty when this kernel does not have it. */
    Optional<String> sysctl(String name) throws IOException;
}
