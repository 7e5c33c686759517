package io.smcvertx.transport.system;

import java.util.Objects;
import java.util.Optional;

/**
 * One row of the software PNET table: a PNET ID bound to an Ethernet interface, or to an RDMA
 * or ISM device (plus port), or both, as {@code SMC_PNETID_ADD} takes it. The kernel allows one
 * PNET ID per interface, device port or ISM device; a second one is refused with EEXIST.
 *
 * @param pnetId     the physical network
 * @param ethName    Ethernet interface name (at most 15 characters), if bound to one
 * @param deviceName RDMA device name or ISM PCI id (at most 63 characters), if bound to one
 * @param devicePort RDMA port, 1 or 2; 0 when no device is given (ISM devices have one port)
 */
public record PnetEntry(PnetId pnetId, Optional<String> ethName, Optional<String> deviceName, int devicePort) {

    /** IFNAMSIZ - 1. */
    public static final int MAX_ETH_NAME = 15;
    /** IB_DEVICE_NAME_MAX - 1. */
    public static final int MAX_DEVICE_NAME = 63;

    public PnetEntry {
        Objects.requireNonNull(pnetId, "`pnetId` must not be `null`");
        Objects.requireNonNull(ethName, "`ethName` must not be `null`");
        Objects.requireNonNull(deviceName, "`deviceName` must not be `null`");
        ethName.ifPresent(n -> checkName("ethName", n, MAX_ETH_NAME));
        deviceName.ifPresent(n -> checkName("deviceName", n, MAX_DEVICE_NAME));
        if (ethName.isEmpty() && deviceName.isEmpty()) {
            throw new IllegalArgumentException("PNET entry " + pnetId
                    + " needs `ethName` or `deviceName` (or both)");
        }
        if (deviceName.isPresent()) {
            if (devicePort == 0) {
                devicePort = 1;
            }
            if (devicePort != 1 && devicePort != 2) {
                throw new IllegalArgumentException("`devicePort` must be 1 or 2, got " + devicePort);
            }
        } else if (devicePort != 0) {
            throw new IllegalArgumentException("`devicePort` " + devicePort + " given without `deviceName`");
        }
    }

    /** Binds a PNET ID to an Ethernet interface. */
    public static PnetEntry ethernet(String pnetId, String ethName) {
        return new PnetEntry(PnetId.of(pnetId), Optional.of(ethName), Optional.empty(), 0);
    }

    /** Binds a PNET ID to an RDMA device port or an ISM device. */
    public static PnetEntry device(String pnetId, String deviceName, int port) {
        return new PnetEntry(PnetId.of(pnetId), Optional.empty(), Optional.of(deviceName), port);
    }

    private static void checkName(String field, String name, int max) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("`" + field + "` must not be empty");
        }
        if (name.length() > max) {
            throw new IllegalArgumentException("`" + field + "` must be at most " + max
                    + " characters, got " + name.length() + " (\"" + name + "\")");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == '/' || c > '~') {
                throw new IllegalArgumentException("`" + field + "` has an invalid character at position "
                        + i + " in \"" + name + "\"");
            }
        }
    }
}
