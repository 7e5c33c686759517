package io.smcvertx.cluster;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Who a host is for the purpose of selecting rules: its name and its labels (e.g. {@code zone=a},
 * {@code role=db}). The reconciler of a host is given its identity once, at start.
 *
 * @param name   host name, as selectors spell it
 * @param labels label key to value
 */
public record HostIdentity(String name, Map<String, String> labels) {

    public HostIdentity {
        Objects.requireNonNull(name, "`name` must not be `null`");
        Objects.requireNonNull(labels, "`labels` must not be `null`");
        String nameError = HostSelector.checkHostName(name);
        if (nameError != null) {
            throw new IllegalArgumentException("`name` " + nameError);
        }
        labels.forEach((k, v) -> {
            String e = HostSelector.checkLabel(k, v);
            if (e != null) {
                throw new IllegalArgumentException("`labels` " + e);
            }
        });
        labels = Map.copyOf(new TreeMap<>(labels));
    }

    /** A host known by name only. */
    public static HostIdentity of(String name) {
        return new HostIdentity(name, Map.of());
    }
}
