package io.smcvertx.transport.rdma;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An RDMA device ({@code /sys/class/infiniband/NAME}).
 *
 * @param name           the device name, e.g. {@code rxe0} or {@code mlx5_0}
 * @param parent         the network interface a software device (rxe, siw) was created on, if sysfs says
 * @param hardwarePnetId the PNET ID the firmware gives each port (IBM Z {@code util_string}), index 0 = port 1;
 *                       empty off IBM Z, where only the software PNET table exists
 * @param ports          the device's ports
 */
public record RdmaDevice(String name, Optional<String> parent, List<Optional<String>> hardwarePnetId,
        List<RdmaPort> ports) {

    public RdmaDevice {
        Objects.requireNonNull(name, "`name` must not be `null`");
        Objects.requireNonNull(parent, "`parent` must not be `null`");
        hardwarePnetId = List.copyOf(hardwarePnetId);
        ports = List.copyOf(ports);
    }

    /** The hardware PNET ID of one port (1-based), if the firmware set one. */
    public Optional<String> hardwarePnetId(int port) {
        return port >= 1 && port <= hardwarePnetId.size() ? hardwarePnetId.get(port - 1) : Optional.empty();
    }
}
