package io.smcvertx.transport.system;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The SMC configuration of one kernel (one network namespace), read and written. The netlink
 * implementation talks to the {@code SMC_PNETID} and {@code SMC_GEN_NETLINK} generic-netlink
 * families and {@code /proc/sys/net/smc}; tests of code above it use an in-memory one.
 *
 * <p>Get the kernel-backed one with {@link SmcKernel#netlink()}.
 *
 * <p>Every call blocks for a netlink round trip (bounded by a timeout): never call it on an
 * event loop. Writes need CAP_NET_ADMIN; without it they fail with an {@link IOException} whose
 * message says so, and reads keep working.
 */
public interface SmcSystem {

    /** The software PNET table (hardware PNET IDs are not in it and always win over it). */
    List<PnetEntry> pnetTable() throws IOException;

    /** Adds one entry; EEXIST (the interface or port already has a PNET ID) fails it. */
    void addPnet(PnetEntry entry) throws IOException;

    /** Removes every entry of this PNET ID, as {@code SMC_PNETID_DEL} does. */
    void removePnet(PnetId pnetId) throws IOException;

    List<Ueid> ueids() throws IOException;

    void addUeid(Ueid ueid) throws IOException;

    void removeUeid(Ueid ueid) throws IOException;

    SeidState seid() throws IOException;

    /** Fails with "the SEID exists only on IBM Z" off s390, where the kernel says EOPNOTSUPP. */
    void setSeidEnabled(boolean enabled) throws IOException;

    /** Whether the listener-side handshake limitation ({@code limit_smc_hs}) is on. */
    boolean handshakeLimitation() throws IOException;

    void setHandshakeLimitation(boolean enabled) throws IOException;

    /** {@code net.smc.*} sysctls of this namespace, name (without the prefix) to value. */
    Map<String, String> sysctls() throws IOException;

    void setSysctl(String name, String value) throws IOException;
}
