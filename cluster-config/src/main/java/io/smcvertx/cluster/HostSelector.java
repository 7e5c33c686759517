package io.smcvertx.cluster;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which hosts a rule applies to. A host matches when its name is one of {@code names} (or
 * {@code names} is empty) and it carries every label in {@code labels}. The empty selector
 * matches every host.
 *
 * @param names  host names; empty means any name
 * @param labels labels the host must carry, key to value
 */
public record HostSelector(Set<String> names, Map<String, String> labels) {

    /** Matches every host. */
    public static final HostSelector ALL = new HostSelector(Set.of(), Map.of());

    public HostSelector {
        Objects.requireNonNull(names, "`names` must not be `null`");
        Objects.requireNonNull(labels, "`labels` must not be `null`");
        for (String n : names) {
            String e = checkHostName(n);
            if (e != null) {
                throw new IllegalArgumentException("`names` entry " + e);
            }
        }
        labels.forEach((k, v) -> {
            String e = checkLabel(k, v);
            if (e != null) {
                throw new IllegalArgumentException("`labels` " + e);
            }
        });
        names = Set.copyOf(new TreeSet<>(names));
        labels = Map.copyOf(new TreeMap<>(labels));
    }

    /** Hosts with one of these names. */
    public static HostSelector names(String... names) {
        return new HostSelector(Set.of(names), Map.of());
    }

    /** Hosts carrying this label. */
    public static HostSelector label(String key, String value) {
        return new HostSelector(Set.of(), Map.of(key, value));
    }

    public boolean matches(HostIdentity host) {
        if (!names.isEmpty() && !names.contains(host.name())) {
            return false;
        }
        for (Map.Entry<String, String> l : labels.entrySet()) {
            if (!l.getValue().equals(host.labels().get(l.getKey()))) {
                return false;
            }
        }
        return true;
    }

    public boolean isAll() {
        return names.isEmpty() && labels.isEmpty();
    }

    /** Null when valid, else what is wrong (without the field name). */
    static String checkHostName(String name) {
        if (name == null || name.isEmpty()) {
            return "must not be empty";
        }
        if (name.length() > 253) {
            return "must be at most 253 characters, got " + name.length();
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_';
            if (!ok) {
                return "may hold only A-Z, a-z, 0-9, '-', '_' and '.', got '" + c + "' at position " + i
                        + " in \"" + name + "\"";
            }
        }
        return null;
    }

    /** Null when valid, else what is wrong (without the field name). */
    static String checkLabel(String key, String value) {
        if (key == null || key.isEmpty() || key.length() > 63) {
            return "key must have 1 to 63 characters, got \"" + key + "\"";
        }
        if (value == null || value.length() > 63) {
            return "value of \"" + key + "\" must have at most 63 characters";
        }
        for (String s : new String[] {key, value}) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '.' || c == '_' || c == '/';
                if (!ok) {
                    return "\"" + key + "\" may hold only A-Z, a-z, 0-9, '-', '_', '.' and '/', got '" + c + "'";
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        if (isAll()) {
            return "all hosts";
        }
        StringBuilder sb = new StringBuilder();
        if (!names.isEmpty()) {
            sb.append("names=").append(names);
        }
        if (!labels.isEmpty()) {
            sb.append(sb.isEmpty() ? "" : " ").append("labels=").append(labels);
        }
        return sb.toString();
    }
}
