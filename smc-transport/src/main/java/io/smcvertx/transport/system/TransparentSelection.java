package io.smcvertx.transport.system;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link TransparentSmc} did: which cgroups are selected now and whether the upgrade is
 * attached, or why it was refused.
 *
 * @param attached   whether the upgrade is attached to the kernel's socket path
 * @param selected   the cgroups selected, by path and cgroup id
 * @param unmatched  patterns that match no cgroup on this host right now
 * @param corrected  what was found changed behind this owner's back and put back (drift), one line each
 * @param refusal    why nothing is attached, naming the missing piece, when refused
 * @param attachment what is attached where, e.g. "program 41 (link 7) on update_socket_protocol"; empty when not
 */
public record TransparentSelection(boolean attached, List<SelectedCgroup> selected, List<CgroupPattern> unmatched,
        List<String> corrected, Optional<String> refusal, String attachment) {

    /**
     * One selected cgroup.
     *
     * @param path the path below the cgroup2 mount, e.g. {@code /system.slice/nginx.service}
     * @param id   the cgroup id (the kernel's, as {@code bpf_get_current_cgroup_id} returns it)
     */
    public record SelectedCgroup(String path, long id) {
        public SelectedCgroup {
            Objects.requireNonNull(path, "`path` must not be `null`");
        }
    }

    public TransparentSelection {
        selected = List.copyOf(selected);
        unmatched = List.copyOf(unmatched);
        corrected = List.copyOf(corrected);
        Objects.requireNonNull(refusal, "`refusal` must not be `null`");
        Objects.requireNonNull(attachment, "`attachment` must not be `null`");
    }

    /** Nothing selected, nothing attached. */
    public static TransparentSelection off() {
        return new TransparentSelection(false, List.of(), List.of(), List.of(), Optional.empty(), "");
    }

    /** Refused for {@code reason}; nothing attached. */
    public static TransparentSelection refused(String reason) {
        return new TransparentSelection(false, List.of(), List.of(), List.of(), Optional.of(reason), "");
    }
}
