package io.smcvertx.transport.system;

import java.util.List;
import java.util.Objects;

/**
 * A cgroup v2 path, relative to the cgroup2 mount, that may hold {@code *} (any characters within
 * one path segment, also none) and {@code ?} (one character), e.g.
 * {@code /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod*.slice} or
 * {@code /system.slice/nginx.service}. A pattern matches cgroups of exactly its depth; what runs
 * in their descendants (containers inside a pod's cgroup) is covered by the selection itself.
 *
 * <p>Refused: the root {@code /} (every process on the host), relative paths, empty, {@code .}
 * or {@code ..} segments, {@code **}, and characters cgroup names of systemd, Kubernetes and
 * container runtimes do not use (blanks, quotes, control characters).
 *
 * @param value the pattern as written, e.g. {@code /system.slice/nginx.service}
 */
public record CgroupPattern(String value) {

    /** Longer patterns are refused (a cgroup path is a file path: PATH_MAX). */
    public static final int MAX_LENGTH = 4096;
    /** Deeper patterns are refused: no real hierarchy nests this deep. */
    public static final int MAX_SEGMENTS = 32;

    public CgroupPattern {
        String error = check(value);
        if (error != null) {
            throw new IllegalArgumentException("`cgroup` " + error);
        }
    }

    /** Null when {@code value} is a valid pattern, else what is wrong with it (without a field name). */
    public static String check(String value) {
        if (value == null || value.isEmpty()) {
            return "must not be empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters, got " + value.length();
        }
        if (value.charAt(0) != '/') {
            return "must be an absolute cgroup path starting with '/' (relative to the cgroup2 mount), got \""
                    + value + "\"";
        }
        if (value.equals("/")) {
            return "must not be the root cgroup: that would select every process on the host";
        }
        if (value.endsWith("/")) {
            return "must not end with '/', got \"" + value + "\"";
        }
        List<String> segments = List.of(value.substring(1).split("/", -1));
        if (segments.size() > MAX_SEGMENTS) {
            return "must have at most " + MAX_SEGMENTS + " segments, got " + segments.size();
        }
        for (String s : segments) {
            if (s.isEmpty()) {
                return "must not have an empty segment ('//'), got \"" + value + "\"";
            }
            if (s.equals(".") || s.equals("..")) {
                return "must not have a '" + s + "' segment, got \"" + value + "\"";
            }
            if (s.contains("**")) {
                return "does not take '**' (a pattern selects cgroups of one depth; their descendants are "
                        + "covered anyway), got \"" + value + "\"";
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "/-_.@:+=,\\*?".indexOf(c) >= 0;
            if (!ok) {
                return "may hold only A-Z, a-z, 0-9, '-', '_', '.', '@', ':', '+', '=', ',', '\\' and the wildcards "
                        + "'*' and '?', got '" + (c < ' ' ? String.format("\\u%04x", (int) c) : String.valueOf(c))
                        + "' at position " + i + " in \"" + value + "\"";
            }
        }
        return null;
    }

    /** The segments between the slashes, e.g. {@code [system.slice, nginx.service]}. */
    public List<String> segments() {
        return List.of(value.substring(1).split("/"));
    }

    /** Whether the pattern has no wildcard: it names one cgroup. */
    public boolean isLiteral() {
        return value.indexOf('*') < 0 && value.indexOf('?') < 0;
    }

    /** Whether this pattern matches {@code cgroupPath} (absolute, relative to the cgroup2 mount). */
    public boolean matches(String cgroupPath) {
        Objects.requireNonNull(cgroupPath, "`cgroupPath` must not be `null`");
        if (cgroupPath.length() < 2 || cgroupPath.charAt(0) != '/') {
            return false;
        }
        String[] have = cgroupPath.substring(1).split("/", -1);
        List<String> want = segments();
        if (have.length != want.size()) {
            return false;
        }
        for (int i = 0; i < have.length; i++) {
            if (!segmentMatches(want.get(i), have[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether one segment pattern matches one name segment. */
    public static boolean segmentMatches(String pattern, String name) {
        // iterative glob with backtracking to the last '*': linear in practice, no regex to escape
        int p = 0;
        int n = 0;
        int star = -1;
        int mark = 0;
        while (n < name.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))) {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = n;
            } else if (star >= 0) {
                p = star + 1;
                n = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return value;
    }
}
