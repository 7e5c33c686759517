package io.smcvertx.cluster;

import io.smcvertx.transport.system.CgroupPattern;
import io.smcvertx.transport.system.PnetId;
import io.smcvertx.transport.system.Ueid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Whole-configuration checks. Selectors are evaluated against every kind of host the
 * configuration can tell apart (each named host and "any other host", times every combination
 * of the label values it mentions), so a conflict is found even when no single rule is wrong:
 * two PNET IDs for one interface or device port on a host, or a fifth UEID on a host.
 */
final class FleetConfigValidator {

    /** Above this many host kinds the check would be slow; such configurations are refused. */
    static final int MAX_HOST_KINDS = 65_536;
    static final int MAX_COMMENT = 2_000;
    static final int MAX_SYSCTL_VALUE = 64;
    /** Has its own field, {@link FleetConfig#handshakeLimitation()}: one source of truth. */
    static final String HS_SYSCTL = "net.smc.limit_smc_hs";
    /** Cgroup patterns one host may be asked to select: each is a walk of the cgroup tree per re-check. */
    static final int MAX_TRANSPARENT_PER_HOST = 64;

    private static final String OTHER_HOST = "\u0000other";

    private FleetConfigValidator() {
    }

    static List<FieldError> validate(long revision, List<PnetRule> pnet, List<UeidRule> ueids,
            Map<String, String> sysctls, String comment, List<TransparentRule> transparent) {
        List<FieldError> errors = new ArrayList<>();
        if (revision < 1) {
            errors.add(new FieldError("revision", "must be at least 1, got " + revision));
        }
        for (int i = 0; i < pnet.size(); i++) {
            if (pnet.get(i) == null) {
                errors.add(new FieldError("pnet[" + i + "]", "must not be null"));
            }
        }
        for (int i = 0; i < ueids.size(); i++) {
            if (ueids.get(i) == null) {
                errors.add(new FieldError("ueids[" + i + "]", "must not be null"));
            }
        }
        for (int i = 0; i < transparent.size(); i++) {
            if (transparent.get(i) == null) {
                errors.add(new FieldError("transparent[" + i + "]", "must not be null"));
            }
        }
        sysctls.forEach((k, v) -> {
            String e = checkSysctl(k, v);
            if (e != null) {
                errors.add(new FieldError("sysctls[\"" + k + "\"]", e));
            }
        });
        if (comment.length() > MAX_COMMENT) {
            errors.add(new FieldError("comment", "must be at most " + MAX_COMMENT + " characters, got "
                    + comment.length()));
        }
        if (errors.isEmpty()) {
            errors.addAll(conflicts(pnet, ueids, transparent));
        }
        return errors;
    }

    /** Null when valid, else what is wrong with this sysctl. */
    static String checkSysctl(String name, String value) {
        if (!name.startsWith(FleetConfig.SYSCTL_PREFIX) || name.length() == FleetConfig.SYSCTL_PREFIX.length()) {
            return "must be a net.smc.* sysctl, e.g. net.smc.wmem";
        }
        if (name.equals(HS_SYSCTL)) {
            return "is set with `handshakeLimitation`, not as a sysctl";
        }
        String shortName = name.substring(FleetConfig.SYSCTL_PREFIX.length());
        for (int i = 0; i < shortName.length(); i++) {
            char c = shortName.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return "name may hold only a-z, 0-9 and '_' after net.smc., got '" + c + "'";
            }
        }
        if (value == null || value.isEmpty()) {
            return "value must not be empty";
        }
        if (value.length() > MAX_SYSCTL_VALUE) {
            return "value must be at most " + MAX_SYSCTL_VALUE + " characters, got " + value.length();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_' || c == '.' || c == ' ')) {
                return "value may hold only letters, digits, '-', '_', '.' and spaces, got '" + c + "'";
            }
        }
        return null;
    }

    private static List<FieldError> conflicts(List<PnetRule> pnet, List<UeidRule> ueids,
            List<TransparentRule> transparent) {
        List<HostSelector> all = new ArrayList<>();
        pnet.forEach(r -> all.add(r.hosts()));
        ueids.forEach(r -> all.add(r.hosts()));
        transparent.forEach(r -> all.add(r.hosts()));
        Set<String> names = new TreeSet<>();
        Map<String, Set<String>> labelValues = new TreeMap<>();
        for (HostSelector s : all) {
            names.addAll(s.names());
            s.labels().forEach((k, v) -> labelValues.computeIfAbsent(k, x -> new TreeSet<>()).add(v));
        }
        names.add(OTHER_HOST);
        long kinds = names.size();
        for (Set<String> values : labelValues.values()) {
            kinds *= values.size() + 1;
            if (kinds > MAX_HOST_KINDS) {
                return List.of(new FieldError("$", "host selectors combine into more than " + MAX_HOST_KINDS
                        + " kinds of host; use fewer distinct label values"));
            }
        }
        LinkedHashSet<FieldError> errors = new LinkedHashSet<>();
        List<String> keys = new ArrayList<>(labelValues.keySet());
        for (String name : names) {
            forEachAssignment(keys, labelValues, 0, new HashMap<>(), labels -> {
                HostKind host = new HostKind(name, labels);
                checkHost(host, pnet, ueids, errors);
                checkTransparent(host, transparent, errors);
            });
        }
        return new ArrayList<>(errors);
    }

    private record HostKind(String name, Map<String, String> labels) {
        boolean matchedBy(HostSelector s) {
            if (!s.names().isEmpty() && !s.names().contains(name)) {
                return false;
            }
            for (Map.Entry<String, String> l : s.labels().entrySet()) {
                if (!l.getValue().equals(labels.get(l.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        String describe() {
            String n = name.equals(OTHER_HOST) ? "a host" : "host " + name;
            return labels.isEmpty() ? n : n + " with labels " + new TreeMap<>(labels);
        }
    }

    private interface LabelsConsumer {
        void accept(Map<String, String> labels);
    }

    private static void forEachAssignment(List<String> keys, Map<String, Set<String>> values, int i,
            Map<String, String> current, LabelsConsumer consumer) {
        if (i == keys.size()) {
            consumer.accept(current);
            return;
        }
        String key = keys.get(i);
        forEachAssignment(keys, values, i + 1, current, consumer);
        for (String v : values.get(key)) {
            current.put(key, v);
            forEachAssignment(keys, values, i + 1, current, consumer);
            current.remove(key);
        }
    }

    private static void checkTransparent(HostKind host, List<TransparentRule> transparent, Set<FieldError> errors) {
        Set<CgroupPattern> seen = new LinkedHashSet<>();
        for (int i = 0; i < transparent.size(); i++) {
            TransparentRule r = transparent.get(i);
            if (host.matchedBy(r.hosts()) && seen.add(r.cgroup()) && seen.size() > MAX_TRANSPARENT_PER_HOST) {
                errors.add(new FieldError("transparent[" + i + "]", "would be cgroup pattern number " + seen.size()
                        + " on " + host.describe() + " (at most " + MAX_TRANSPARENT_PER_HOST + " per host)"));
            }
        }
    }

    private static void checkHost(HostKind host, List<PnetRule> pnet, List<UeidRule> ueids,
            Set<FieldError> errors) {
        Map<String, Integer> byInterface = new HashMap<>();
        Map<String, Integer> byDevice = new HashMap<>();
        for (int i = 0; i < pnet.size(); i++) {
            PnetRule r = pnet.get(i);
            if (!host.matchedBy(r.hosts())) {
                continue;
            }
            PnetId id = r.entry().pnetId();
            Optional<String> eth = r.entry().ethName();
            if (eth.isPresent()) {
                Integer first = byInterface.putIfAbsent(eth.get(), i);
                if (first != null && !pnet.get(first).entry().pnetId().equals(id)) {
                    errors.add(new FieldError("pnet[" + i + "].ethName", "interface " + eth.get()
                            + " already has PNET ID " + pnet.get(first).entry().pnetId() + " from pnet[" + first
                            + "] on " + host.describe() + "; an interface has one PNET ID"));
                }
            }
            Optional<String> dev = r.entry().deviceName();
            if (dev.isPresent()) {
                String key = dev.get() + " port " + r.entry().devicePort();
                Integer first = byDevice.putIfAbsent(key, i);
                if (first != null && !pnet.get(first).entry().pnetId().equals(id)) {
                    errors.add(new FieldError("pnet[" + i + "].deviceName", "device " + key
                            + " already has PNET ID " + pnet.get(first).entry().pnetId() + " from pnet[" + first
                            + "] on " + host.describe() + "; a device port has one PNET ID"));
                }
            }
        }
        Set<Ueid> seen = new LinkedHashSet<>();
        for (int i = 0; i < ueids.size(); i++) {
            UeidRule r = ueids.get(i);
            if (host.matchedBy(r.hosts()) && seen.add(r.ueid()) && seen.size() > Ueid.MAX_PER_HOST) {
                errors.add(new FieldError("ueids[" + i + "]", "would be UEID number " + seen.size() + " on "
                        + host.describe() + " (at most " + Ueid.MAX_PER_HOST + " per host: " + seen + ")"));
            }
        }
    }
}
