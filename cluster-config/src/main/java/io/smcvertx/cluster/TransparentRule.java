package io.smcvertx.cluster;

import io.smcvertx.transport.system.CgroupPattern;
import java.util.Objects;

/**
 * A cgroup path pattern whose processes get SMC sockets where they ask for TCP (transparent SMC,
 * a BPF program on the host's socket path), and the hosts that apply it. The pattern names the
 * cgroup of a service, a pod or a slice; everything below it is covered, containers included.
 *
 * @param cgroup the cgroup v2 path pattern, e.g. {@code /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod*.slice}
 * @param hosts  where it applies
 */
public record TransparentRule(CgroupPattern cgroup, HostSelector hosts) {

    public TransparentRule {
        Objects.requireNonNull(cgroup, "`cgroup` must not be `null`");
        Objects.requireNonNull(hosts, "`hosts` must not be `null`");
    }

    /** The pattern on every host. */
    public static TransparentRule everywhere(String cgroup) {
        return new TransparentRule(new CgroupPattern(cgroup), HostSelector.ALL);
    }
}
