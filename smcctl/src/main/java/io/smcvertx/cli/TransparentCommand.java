package io.smcvertx.cli;

import io.smcvertx.bpf.Cgroups;
import io.smcvertx.bpf.TransparentCapabilities;
import io.smcvertx.bpf.TransparentProbe;
import io.smcvertx.bpf.TransparentRefusedException;
import io.smcvertx.bpf.UpgradeView;
import io.smcvertx.transport.SmcCapabilities.Fact;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code smcctl transparent status|probe}: the BPF upgrade on this host, whoever attached it. */
@Command(name = "transparent", mixinStandardHelpOptions = true,
        description = "Transparent SMC for unmodified programs (BPF on the kernel's socket path): what is attached, "
                + "which cgroups are selected, and whether this kernel can do it.",
        subcommands = {TransparentCommand.Status.class, TransparentCommand.Probe.class})
final class TransparentCommand implements Callable<Integer> {

    @ParentCommand
    SmcCtl root;

    @Override
    public Integer call() throws Exception {
        return new Status(root).call();
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "List every upgrade program loaded on this host: attached or not, who holds it, and the "
                    + "selected cgroups (needs CAP_SYS_ADMIN to list BPF objects).")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        TransparentCommand parent;

        @Option(names = "--json", description = "Print JSON (stable keys) instead of text.")
        boolean json;

        private final SmcCtl direct;

        Status() {
            this(null);
        }

        Status(SmcCtl root) {
            this.direct = root;
        }

        @Override
        public Integer call() throws Exception {
            SmcCtl root = direct != null ? direct : parent.root;
            Optional<Cgroups> cgroups;
            try {
                cgroups = Optional.of(Cgroups.system());
            } catch (TransparentRefusedException e) {
                cgroups = Optional.empty();
            }
            List<UpgradeView.Upgrade> all = UpgradeView.scan(cgroups);
            PrintWriter out = root.out();
            if (json) {
                out.println(Json.write(all.stream().map(u -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("program_id", u.programId());
                    m.put("loaded_by_uid", u.loadedBy());
                    m.put("attached", u.attached());
                    m.put("link_ids", u.linkIds());
                    m.put("holders", u.holders());
                    Map<String, Object> sel = new LinkedHashMap<>();
                    u.selected().forEach((id, path) -> sel.put(path, id));
                    m.put("selected", sel);
                    return m;
                }).toList()));
                return ExitCodes.OK;
            }
            if (all.isEmpty()) {
                out.println("no transparent SMC upgrade is loaded on this host: new sockets are what programs ask for");
                return ExitCodes.OK;
            }
            for (UpgradeView.Upgrade u : all) {
                out.printf("upgrade program %d (loaded by uid %d): %s%n", u.programId(), u.loadedBy(),
                        u.attached() ? "attached, link " + u.linkIds() : "NOT attached");
                out.printf("  held by   %s%n", u.holders().isEmpty() ? "(no process found)" : String.join("; ", u.holders()));
                out.printf("  selected  %d cgroup(s)%n", u.selected().size());
                u.selected().forEach((id, path) -> out.printf("    %-60s id %d%n", path, id));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "probe", mixinStandardHelpOptions = true,
            description = "Check whether this kernel and process can attach the upgrade; each finding with its "
                    + "evidence. Exit 0 when it can, else the code of the most basic missing piece.")
    static final class Probe implements Callable<Integer> {
        @ParentCommand
        TransparentCommand parent;

        @Option(names = "--json", description = "Print JSON (stable keys) instead of text.")
        boolean json;

        @Override
        public Integer call() {
            TransparentCapabilities c = TransparentProbe.probe();
            PrintWriter out = parent.root.out();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("kernel", c.kernelRelease());
                m.put("usable", c.usable());
                c.facts().forEach((k, f) -> m.put(k, Map.of("state", f.state().name(), "evidence", f.evidence())));
                m.put("missing", c.missing().stream().map(Enum::name).toList());
                out.println(Json.write(m));
            } else {
                out.printf("kernel %s (%s): transparent SMC %s%n", c.kernelRelease(), c.architecture(),
                        c.usable() ? "usable" : "refused");
                for (Map.Entry<String, Fact> e : c.facts().entrySet()) {
                    out.printf("  %-12s %-7s %s%n", e.getKey(), e.getValue().state(), e.getValue().evidence());
                }
            }
            return c.usable() ? ExitCodes.OK : ExitCodes.of(c.refusedException());
        }
    }
}
