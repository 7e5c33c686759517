package io.smcvertx.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a host did with its revision's {@code transparent} section.
 *
 * @param patterns   the cgroup patterns this host's slice asks for
 * @param attached   whether the upgrade is attached to the host's socket path
 * @param selected   the cgroups selected now, as {@code path (id N)}
 * @param unmatched  patterns matching no cgroup on this host now (a service not started yet, a pod elsewhere)
 * @param refusal    why nothing is attached, naming the missing piece, when refused
 * @param attachment which program and link, e.g. "program 41 (link 7, map 12) on update_socket_protocol [btf 5]"
 */
public record TransparentStatus(List<String> patterns, boolean attached, List<String> selected, List<String> unmatched,
        Optional<String> refusal, String attachment) {

    public TransparentStatus {
        patterns = List.copyOf(patterns);
        selected = List.copyOf(selected);
        unmatched = List.copyOf(unmatched);
        Objects.requireNonNull(refusal, "`refusal` must not be `null`");
        Objects.requireNonNull(attachment, "`attachment` must not be `null`");
    }

    /** One line for tables: "transparent: 3 cgroup(s) selected" or the refusal. */
    public String summary() {
        return refusal.map(r -> "transparent refused: " + r).orElse("transparent: " + selected.size()
                + " cgroup(s) selected" + (unmatched.isEmpty() ? "" : ", " + unmatched.size() + " pattern(s) match none"));
    }
}
