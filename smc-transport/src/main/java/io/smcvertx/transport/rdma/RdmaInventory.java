package io.smcvertx.transport.rdma;

import java.util.List;
import java.util.Objects;

/**
 * Every RDMA device of this host with its ports, and whether libibverbs added to what sysfs says.
 *
 * @param devices the devices, by name
 * @param verbs   what became of the libibverbs query
 */
public record RdmaInventory(List<RdmaDevice> devices, VerbsStatus verbs) {

    public RdmaInventory {
        devices = List.copyOf(devices);
        Objects.requireNonNull(verbs, "`verbs` must not be `null`");
    }

    /** Every port of every device. */
    public List<RdmaPort> ports() {
        return devices.stream().flatMap(d -> d.ports().stream()).toList();
    }
}
