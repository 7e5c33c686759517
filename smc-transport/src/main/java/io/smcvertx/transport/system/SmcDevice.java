package io.smcvertx.transport.system;

import java.util.List;
import java.util.Objects;

/**
 * An SMC-D (ISM) or SMC-R (RoCE) device ({@code SMC_NETLINK_GET_DEV_SMCD/SMCR}). The
 * software loopback-ISM device is not listed by the kernel (since 6.10).
 *
 * @param type       SMC-D or SMC-R
 * @param name       RDMA device name (SMC-R) or PCI id (SMC-D)
 * @param pciId      PCI id, e.g. "0000:00:04.0"; empty when not on PCI
 * @param pciFid     PCI function id (IBM Z), 0 elsewhere
 * @param pciChid    channel id (IBM Z), 0 elsewhere
 * @param pciVendor  PCI vendor id
 * @param pciDevice  PCI device id
 * @param useCount   connections/link groups using the device
 * @param critical   whether removing it would break link groups
 * @param ports      the device's ports (one for ISM, up to two for RoCE)
 */
public record SmcDevice(Type type, String name, String pciId, int pciFid, int pciChid, int pciVendor, int pciDevice,
                        int useCount, boolean critical, List<SmcDevicePort> ports) {

    /** The SMC flavour of a device. */
    public enum Type { SMCD, SMCR }

    public SmcDevice {
        Objects.requireNonNull(type, "`type` must not be `null`");
        Objects.requireNonNull(name, "`name` must not be `null`");
        Objects.requireNonNull(pciId, "`pciId` must not be `null`");
        ports = List.copyOf(ports);
    }
}
