package io.smcvertx.bpf;

import io.smcvertx.transport.system.CgroupPattern;
import io.smcvertx.transport.system.TransparentSelection;
import io.smcvertx.transport.system.TransparentSelection.SelectedCgroup;
import io.smcvertx.transport.system.TransparentSmc;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link TransparentSmc} over one {@link SmcUpgrade}: each {@link #apply} walks the cgroup tree
 * for the patterns and makes the map hold exactly what they match. The upgrade is attached on the
 * first non-empty selection and detached when the selection becomes empty, so a host whose
 * revision asks for nothing never loads a program.
 *
 * <p>Cgroups created after an apply are selected at the next one (the reconciler's re-check
 * interval), unless they are below a selected cgroup: those are covered at once by the program's
 * ancestor walk. Select a pod's or a slice's cgroup, not the containers inside it.
 */
public final class BpfTransparentSmc implements TransparentSmc {

    /** What the port needs of an attached upgrade ({@link SmcUpgrade}; tests give a fake). */
    interface Upgrade extends AutoCloseable {
        void select(long cgroupId) throws IOException;

        boolean deselect(long cgroupId) throws IOException;

        Set<Long> selected() throws IOException;

        String describe();

        @Override
        void close();
    }

    /** Opens an upgrade. */
    @FunctionalInterface
    interface Attacher {
        Upgrade attach() throws IOException;
    }

    private final Supplier<Cgroups> cgroups;
    private final Attacher attacher;
    private Upgrade upgrade;
    /** What this owner put in the map, id to path: anything else found there is drift. */
    private final Map<Long, String> written = new LinkedHashMap<>();

    BpfTransparentSmc(Supplier<Cgroups> cgroups, Attacher attacher) {
        this.cgroups = cgroups;
        this.attacher = attacher;
    }

    /** The kernel-backed port on this system's cgroup v2 tree. */
    public static BpfTransparentSmc create() {
        return new BpfTransparentSmc(() -> {
            try {
                return Cgroups.system();
            } catch (TransparentRefusedException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, SmcUpgrade::attach);
    }

    @Override
    public synchronized TransparentSelection apply(Set<CgroupPattern> patterns) {
        if (patterns.isEmpty()) {
            close();
            return TransparentSelection.off();
        }
        Cgroups tree;
        try {
            tree = cgroups.get();
        } catch (IllegalStateException e) {
            close();
            return TransparentSelection.refused(e.getMessage());
        }
        // match first: a pattern error or an unreadable tree must not leave a half-made selection
        Map<Long, String> want = new LinkedHashMap<>();
        List<CgroupPattern> unmatched = new ArrayList<>();
        List<String> corrected = new ArrayList<>();
        for (CgroupPattern p : patterns.stream().sorted(Comparator.comparing(CgroupPattern::value)).toList()) {
            List<SelectedCgroup> m;
            try {
                m = tree.match(p);
            } catch (IOException e) {
                m = List.of();
                corrected.add("cgroup pattern " + p + " could not be walked: " + e.getMessage());
            }
            if (m.isEmpty()) {
                unmatched.add(p);
            }
            m.forEach(c -> want.putIfAbsent(c.id(), c.path()));
        }
        if (want.size() > SmcUpgrade.MAX_SELECTED) {
            corrected.add("the patterns match " + want.size() + " cgroups; only the first " + SmcUpgrade.MAX_SELECTED
                    + " are selected (the map's size)");
            List<Long> extra = new ArrayList<>(want.keySet()).subList(SmcUpgrade.MAX_SELECTED, want.size());
            extra.forEach(want::remove);
        }
        try {
            if (upgrade == null) {
                upgrade = attacher.attach();
                written.clear();
            }
            Set<Long> have = upgrade.selected();
            for (Map.Entry<Long, String> w : written.entrySet()) {
                if (!have.contains(w.getKey()) && want.containsKey(w.getKey())) {
                    corrected.add("cgroup " + w.getValue() + " (id " + w.getKey()
                            + ") had been removed from the selection map by someone else: put back");
                }
            }
            for (Long id : have) {
                if (!written.containsKey(id)) {
                    corrected.add("cgroup id " + id + " was in the selection map without being selected here: removed");
                }
            }
            for (Long id : have) {
                if (!want.containsKey(id)) {
                    upgrade.deselect(id);
                }
            }
            written.keySet().retainAll(want.keySet());
            for (Map.Entry<Long, String> w : want.entrySet()) {
                if (!have.contains(w.getKey())) {
                    upgrade.select(w.getKey());
                }
                written.put(w.getKey(), w.getValue());
            }
        } catch (TransparentRefusedException e) {
            close();
            return TransparentSelection.refused(e.getMessage());
        } catch (IOException | RuntimeException e) {
            close();
            return TransparentSelection.refused("transparent SMC failed, nothing attached: " + e.getMessage());
        }
        List<SelectedCgroup> selected = new ArrayList<>();
        want.forEach((id, path) -> selected.add(new SelectedCgroup(path, id)));
        return new TransparentSelection(true, selected, unmatched, corrected, Optional.empty(), upgrade.describe());
    }

    /** The upgrade's program id while attached (status views). */
    public synchronized Optional<String> attachment() {
        return Optional.ofNullable(upgrade).map(Upgrade::describe);
    }

    @Override
    public synchronized void close() {
        if (upgrade != null) {
            upgrade.close();
            upgrade = null;
        }
        written.clear();
    }
}
