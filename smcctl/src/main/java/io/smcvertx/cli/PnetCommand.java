package io.smcvertx.cli;

import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.PnetId;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code smcctl pnet}: the software PNET table, like {@code smc_pnet}. */
@Command(name = "pnet", mixinStandardHelpOptions = true, description = "Show and change the software PNET table (like smc_pnet).",
        subcommands = {PnetCommand.Show.class, PnetCommand.Add.class, PnetCommand.Del.class, PnetCommand.Flush.class})
final class PnetCommand implements Callable<Integer> {

    @ParentCommand
    SmcCtl root;

    @Override
    public Integer call() throws Exception {
        return new Show().print(root, Optional.empty(), false);
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "List PNET table entries (all, or those of one PNET ID).")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        PnetCommand pnet;

        @Parameters(arity = "0..1", paramLabel = "PNETID", description = "Only this PNET ID.")
        String pnetId;

        @Option(names = "--json", description = "Print JSON (stable keys) instead of text.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return print(pnet.root, Optional.ofNullable(pnetId).map(PnetId::of), json);
        }

        int print(SmcCtl root, Optional<PnetId> only, boolean asJson) throws Exception {
            List<PnetEntry> rows = only.isPresent() ? root.kernel().pnet(only.get()) : root.kernel().pnetTable();
            PrintWriter out = root.out();
            if (asJson) {
                out.println(Json.write(rows.stream().map(PnetCommand::json).toList()));
            } else {
                out.printf("%-16s %-15s %-20s %s%n", "PNETID", "Interface", "Device", "Port");
                for (PnetEntry e : rows) {
                    out.printf("%-16s %-15s %-20s %s%n", e.pnetId(), e.ethName().orElse("n/a"),
                            e.deviceName().orElse("n/a"), e.deviceName().isPresent() ? e.devicePort() : "n/a");
                }
            }
            if (only.isPresent() && rows.isEmpty()) {
                root.err().println("smcctl pnet show: PNET ID " + only.get() + " not found");
                return ExitCodes.NOT_FOUND_OR_EXISTS;
            }
            return ExitCodes.OK;
        }
    }

    static Map<String, Object> json(PnetEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pnetid", e.pnetId().value());
        m.put("interface", e.ethName());
        m.put("device", e.deviceName());
        m.put("port", e.deviceName().isPresent() ? e.devicePort() : null);
        return m;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a PNET table entry: a PNET ID on an Ethernet interface and/or an "
            + "RDMA/ISM device port (smc_pnet -a PNETID -I IF -D DEV -P PORT). Needs CAP_NET_ADMIN.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        PnetCommand pnet;

        @Parameters(index = "0", paramLabel = "PNETID", description = "Up to 16 characters A-Z, 0-9 (lower case is upper-cased).")
        String pnetId;

        @ArgGroup(exclusive = false, multiplicity = "1")
        Target target;

        static final class Target {
            @Option(names = {"-I", "--interface"}, paramLabel = "IF", description = "Ethernet interface name.")
            String eth;

            @Option(names = {"-D", "--device"}, paramLabel = "DEV", description = "RDMA device name or ISM PCI id.")
            String device;

            @Option(names = {"-P", "--port"}, paramLabel = "PORT", defaultValue = "0",
                    description = "RDMA port, 1 or 2 (default 1 when a device is given).")
            int port;
        }

        @Override
        public Integer call() throws Exception {
            PnetEntry e = new PnetEntry(PnetId.of(pnetId), Optional.ofNullable(target.eth),
                    Optional.ofNullable(target.device), target.device == null && target.port == 0 ? 0 : target.port);
            pnet.root.kernel().addPnet(e);
            pnet.root.out().println("added " + e.pnetId() + e.ethName().map(n -> " interface " + n).orElse("")
                    + e.deviceName().map(d -> " device " + d + " port " + e.devicePort()).orElse(""));
            return ExitCodes.OK;
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true, aliases = "delete", description = "Delete every entry of a PNET ID (smc_pnet -r). Needs CAP_NET_ADMIN.")
    static final class Del implements Callable<Integer> {
        @ParentCommand
        PnetCommand pnet;

        @Parameters(index = "0", paramLabel = "PNETID")
        String pnetId;

        @Override
        public Integer call() throws Exception {
            PnetId id = PnetId.of(pnetId);
            pnet.root.kernel().removePnet(id);
            pnet.root.out().println("deleted " + id);
            return ExitCodes.OK;
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true, description = "Delete every PNET table entry (smc_pnet -f). Needs CAP_NET_ADMIN.")
    static final class Flush implements Callable<Integer> {
        @ParentCommand
        PnetCommand pnet;

        @Override
        public Integer call() throws Exception {
            pnet.root.kernel().flushPnet();
            pnet.root.out().println("PNET table flushed");
            return ExitCodes.OK;
        }
    }
}
