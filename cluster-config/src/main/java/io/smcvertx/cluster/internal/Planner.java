package io.smcvertx.cluster.internal;

import io.smcvertx.cluster.HostSlice;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.PnetId;
import io.smcvertx.transport.system.SmcSystem;
import io.smcvertx.transport.system.Ueid;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The minimal change from what a kernel has to what a slice asks, as undoable steps, and the
 * drift between them. Entries the kernel has but the slice does not are removed only when the
 * reconciler put them there ({@code managed}) or when told to correct everything: an operator's
 * hand-made entry is reported, not silently deleted.
 *
 * <p>The kernel removes PNET entries only per PNET ID ({@code SMC_PNETID_DEL}), so dropping one
 * interface of an ID that keeps others means removing the ID and adding back what stays.
 */
public final class Planner {

    /** One change and how to take it back. */
    public interface Action {
        void run(SmcSystem system) throws IOException;
    }

    /**
     * One step of a plan.
     *
     * @param description for errors and logs, e.g. "add UEID SMCVERTX-LAB"
     * @param apply       the change
     * @param undo        puts back what was there before (also after a partial {@code apply})
     */
    public record Step(String description, Action apply, Action undo) {
    }

    private Planner() {
    }

    /** Steps in a safe order: removals first (they free interfaces and UEID slots), then additions. */
    public static List<Step> plan(HostSlice desired, KernelState kernel, HostSlice managed, boolean removeUnmanaged,
            List<String> notes) {
        List<Step> removals = new ArrayList<>();
        List<Step> additions = new ArrayList<>();
        Map<PnetId, Set<PnetEntry>> want = byId(desired.pnet());
        Map<PnetId, Set<PnetEntry>> have = byId(kernel.pnet());
        Set<PnetId> ids = new TreeSet<>(want.keySet());
        ids.addAll(have.keySet());
        for (PnetId id : ids) {
            Set<PnetEntry> w = want.getOrDefault(id, Set.of());
            Set<PnetEntry> h = have.getOrDefault(id, Set.of());
            Set<PnetEntry> drop = new LinkedHashSet<>();
            for (PnetEntry e : h) {
                if (!w.contains(e) && (removeUnmanaged || managed.pnet().contains(e))) {
                    drop.add(e);
                }
            }
            Set<PnetEntry> add = new LinkedHashSet<>(w);
            add.removeAll(h);
            if (drop.isEmpty() && add.isEmpty()) {
                continue;
            }
            List<PnetEntry> before = List.copyOf(h);
            Action restore = sys -> {
                try {
                    sys.removePnet(id);
                } catch (IOException e) {
                    // nothing of this ID left to remove: fine, what follows puts it back
                }
                for (PnetEntry e : before) {
                    sys.addPnet(e);
                }
            };
            if (drop.isEmpty()) {
                List<PnetEntry> adds = List.copyOf(add);
                additions.add(new Step("add PNET " + describe(adds), sys -> {
                    for (PnetEntry e : adds) {
                        sys.addPnet(e);
                    }
                }, restore));
            } else {
                Set<PnetEntry> after = new LinkedHashSet<>(h);
                after.removeAll(drop);
                after.addAll(add);
                List<PnetEntry> target = List.copyOf(after);
                removals.add(new Step("set PNET ID " + id + " to " + (target.isEmpty() ? "nothing" : describe(target)),
                        sys -> {
                            sys.removePnet(id);
                            for (PnetEntry e : target) {
                                sys.addPnet(e);
                            }
                        }, restore));
            }
        }
        boolean removesUeids = false;
        for (Ueid u : new TreeSet<>(kernel.ueids())) {
            if (!desired.ueids().contains(u) && (removeUnmanaged || managed.ueids().contains(u))) {
                removals.add(new Step("remove UEID " + u, sys -> sys.removeUeid(u), sys -> sys.addUeid(u)));
                removesUeids = true;
            }
        }
        for (Ueid u : new TreeSet<>(desired.ueids())) {
            if (!kernel.ueids().contains(u)) {
                additions.add(new Step("add UEID " + u, sys -> sys.addUeid(u), sys -> sys.removeUeid(u)));
            }
        }
        if (desired.seidEnabled().isPresent()) {
            boolean want2 = desired.seidEnabled().get();
            boolean old = kernel.seid().enabled();
            if (kernel.seid().seid().isEmpty()) {
                notes.add("`seidEnabled` does not apply here: the kernel reports no SEID (it exists only on IBM Z)");
            } else if (!want2 && desired.ueids().isEmpty()) {
                // the kernel refuses to disable the SEID without a UEID (ENOENT) and re-enables it when the
                // last UEID goes: this revision cannot hold here, so fail before anything is changed
                removals.addFirst(new Step("disable the SEID", sys -> {
                    throw new IOException("revision " + desired.revision() + " gives this host no UEID, and the kernel "
                            + "keeps the SEID while no UEID could take its place; add a UEID for this host or leave "
                            + "`seidEnabled` unset");
                }, sys -> { }));
            } else if (old != want2 || (!want2 && removesUeids)) {
                // removing UEIDs may pass through zero, when the kernel turns the SEID back on: set it after them
                additions.add(new Step((want2 ? "enable" : "disable") + " the SEID",
                        sys -> sys.setSeidEnabled(want2), sys -> sys.setSeidEnabled(old)));
            }
        }
        if (desired.handshakeLimitation().isPresent()) {
            boolean want3 = desired.handshakeLimitation().get();
            Optional<Boolean> old = kernel.handshakeLimitation();
            if (old.isEmpty() || old.get() != want3) {
                additions.add(new Step((want3 ? "enable" : "disable") + " the handshake limitation",
                        sys -> sys.setHandshakeLimitation(want3), sys -> {
                            if (old.isPresent()) {
                                sys.setHandshakeLimitation(old.get());
                            }
                        }));
            }
        }
        for (Map.Entry<String, String> s : new TreeMap<>(desired.sysctls()).entrySet()) {
            String old = kernel.sysctls().get(s.getKey());
            if (old == null || !sameValue(old, s.getValue())) {
                additions.add(new Step("set net.smc." + s.getKey() + " = " + s.getValue(),
                        sys -> sys.setSysctl(s.getKey(), s.getValue()), sys -> {
                            if (old != null) {
                                sys.setSysctl(s.getKey(), old);
                            }
                        }));
            }
        }
        List<Step> all = new ArrayList<>(removals);
        all.addAll(additions);
        return all;
    }

    /** How the kernel differs from the slice, one line per difference. */
    public static List<String> drift(HostSlice desired, KernelState kernel) {
        List<String> out = new ArrayList<>();
        Set<PnetEntry> have = new LinkedHashSet<>(kernel.pnet());
        for (PnetEntry e : desired.pnet()) {
            if (!have.contains(e)) {
                out.add("PNET " + describe(e) + " missing from the kernel");
            }
        }
        for (PnetEntry e : kernel.pnet()) {
            if (!desired.pnet().contains(e)) {
                out.add("PNET " + describe(e) + " in the kernel but not in revision " + desired.revision());
            }
        }
        for (Ueid u : new TreeSet<>(desired.ueids())) {
            if (!kernel.ueids().contains(u)) {
                out.add("UEID " + u + " missing from the kernel");
            }
        }
        for (Ueid u : new TreeSet<>(kernel.ueids())) {
            if (!desired.ueids().contains(u)) {
                out.add("UEID " + u + " in the kernel but not in revision " + desired.revision());
            }
        }
        if (desired.seidEnabled().isPresent() && kernel.seid().seid().isPresent()
                && kernel.seid().enabled() != desired.seidEnabled().get()) {
            out.add("SEID is " + (kernel.seid().enabled() ? "enabled" : "disabled") + ", revision "
                    + desired.revision() + " wants it " + (desired.seidEnabled().get() ? "enabled" : "disabled"));
        }
        if (desired.handshakeLimitation().isPresent() && kernel.handshakeLimitation().isPresent()
                && !kernel.handshakeLimitation().get().equals(desired.handshakeLimitation().get())) {
            out.add("handshake limitation is " + (kernel.handshakeLimitation().get() ? "on" : "off") + ", revision "
                    + desired.revision() + " wants it " + (desired.handshakeLimitation().get() ? "on" : "off"));
        }
        for (Map.Entry<String, String> s : new TreeMap<>(desired.sysctls()).entrySet()) {
            String v = kernel.sysctls().get(s.getKey());
            if (v == null) {
                out.add("net.smc." + s.getKey() + " does not exist in this kernel");
            } else if (!sameValue(v, s.getValue())) {
                out.add("net.smc." + s.getKey() + " is " + v.trim() + ", revision " + desired.revision() + " wants "
                        + s.getValue());
            }
        }
        return out;
    }

    /** /proc separates multi-value sysctls with tabs; operators write spaces. */
    static boolean sameValue(String kernelValue, String wanted) {
        return kernelValue.trim().replaceAll("\\s+", " ").equals(wanted.trim().replaceAll("\\s+", " "));
    }

    public static String describe(PnetEntry e) {
        StringBuilder sb = new StringBuilder(e.pnetId().value());
        e.ethName().ifPresent(n -> sb.append(" eth ").append(n));
        e.deviceName().ifPresent(d -> sb.append(" dev ").append(d).append(" port ").append(e.devicePort()));
        return sb.toString();
    }

    private static String describe(List<PnetEntry> entries) {
        return entries.stream().map(Planner::describe).reduce((a, b) -> a + ", " + b).orElse("");
    }

    private static Map<PnetId, Set<PnetEntry>> byId(Iterable<PnetEntry> entries) {
        Map<PnetId, Set<PnetEntry>> m = new TreeMap<>();
        for (PnetEntry e : entries) {
            m.computeIfAbsent(e.pnetId(), k -> new LinkedHashSet<>()).add(e);
        }
        return m;
    }
}
