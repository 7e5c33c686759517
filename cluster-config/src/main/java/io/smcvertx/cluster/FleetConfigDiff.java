package io.smcvertx.cluster;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** What changes from one revision to another, one line per change, for people reviewing a publish. */
public final class FleetConfigDiff {

    private FleetConfigDiff() {
    }

    /** Lines starting with {@code +} (added), {@code -} (removed) or {@code ~} (changed); empty when equal. */
    public static List<String> between(FleetConfig from, FleetConfig to) {
        Objects.requireNonNull(to, "`to` must not be `null`");
        List<String> out = new ArrayList<>();
        List<PnetRule> fromPnet = from == null ? List.of() : from.pnet();
        List<UeidRule> fromUeids = from == null ? List.of() : from.ueids();
        Set<String> a = new LinkedHashSet<>(fromPnet.stream().map(FleetConfigDiff::pnet).toList());
        Set<String> b = new LinkedHashSet<>(to.pnet().stream().map(FleetConfigDiff::pnet).toList());
        a.stream().filter(x -> !b.contains(x)).forEach(x -> out.add("- pnet " + x));
        b.stream().filter(x -> !a.contains(x)).forEach(x -> out.add("+ pnet " + x));
        Set<String> ua = new LinkedHashSet<>(fromUeids.stream().map(FleetConfigDiff::ueid).toList());
        Set<String> ub = new LinkedHashSet<>(to.ueids().stream().map(FleetConfigDiff::ueid).toList());
        ua.stream().filter(x -> !ub.contains(x)).forEach(x -> out.add("- ueid " + x));
        ub.stream().filter(x -> !ua.contains(x)).forEach(x -> out.add("+ ueid " + x));
        List<TransparentRule> fromT = from == null ? List.of() : from.transparent();
        Set<String> ta = new LinkedHashSet<>(fromT.stream().map(r -> r.cgroup() + " on " + r.hosts()).toList());
        Set<String> tb = new LinkedHashSet<>(to.transparent().stream().map(r -> r.cgroup() + " on " + r.hosts()).toList());
        ta.stream().filter(x -> !tb.contains(x)).forEach(x -> out.add("- transparent " + x));
        tb.stream().filter(x -> !ta.contains(x)).forEach(x -> out.add("+ transparent " + x));
        flag(out, "seidEnabled", from == null ? Optional.empty() : from.seidEnabled(), to.seidEnabled());
        flag(out, "handshakeLimitation", from == null ? Optional.empty() : from.handshakeLimitation(),
                to.handshakeLimitation());
        Map<String, String> sa = from == null ? Map.of() : from.sysctls();
        Set<String> names = new TreeSet<>(sa.keySet());
        names.addAll(to.sysctls().keySet());
        for (String n : names) {
            String x = sa.get(n);
            String y = to.sysctls().get(n);
            if (x == null) {
                out.add("+ sysctl " + n + " = " + y);
            } else if (y == null) {
                out.add("- sysctl " + n + " = " + x + " (the kernel keeps its value)");
            } else if (!x.equals(y)) {
                out.add("~ sysctl " + n + ": " + x + " -> " + y);
            }
        }
        return out;
    }

    private static void flag(List<String> out, String name, Optional<Boolean> a, Optional<Boolean> b) {
        if (!a.equals(b)) {
            out.add("~ " + name + ": " + a.map(String::valueOf).orElse("unset") + " -> "
                    + b.map(String::valueOf).orElse("unset (the kernel keeps its value)"));
        }
    }

    private static String pnet(PnetRule r) {
        StringBuilder sb = new StringBuilder(r.entry().pnetId().value());
        r.entry().ethName().ifPresent(n -> sb.append(" eth ").append(n));
        r.entry().deviceName().ifPresent(d -> sb.append(" dev ").append(d).append(" port ").append(r.entry().devicePort()));
        return sb.append(" on ").append(r.hosts()).toString();
    }

    private static String ueid(UeidRule r) {
        return r.ueid() + " on " + r.hosts();
    }
}
