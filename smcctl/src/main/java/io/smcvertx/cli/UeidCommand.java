package io.smcvertx.cli;

import io.smcvertx.transport.system.Ueid;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code smcctl ueid}: user-defined EIDs, like {@code smcd ueid}. */
@Command(name = "ueid", mixinStandardHelpOptions = true, description = "Show and change User-defined Enterprise IDs (like smcd/smcr ueid). SMC-Dv2 "
        + "and SMC-Rv2 need a UEID in common with the peer (or, on IBM Z only, a matching SEID).",
        subcommands = {UeidCommand.Show.class, UeidCommand.Add.class, UeidCommand.Del.class, UeidCommand.Flush.class})
final class UeidCommand implements Callable<Integer> {

    @ParentCommand
    SmcCtl root;

    @Override
    public Integer call() throws Exception {
        return show(root, false);
    }

    static int show(SmcCtl root, boolean json) throws Exception {
        List<String> ueids = root.kernel().ueids().stream().map(Ueid::value).toList();
        if (json) {
            root.out().println(Json.write(ueids));
        } else if (ueids.isEmpty()) {
            root.out().println("no UEIDs configured");
        } else {
            ueids.forEach(root.out()::println);
        }
        return ExitCodes.OK;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "List the UEIDs (at most 4 per host).")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        UeidCommand ueid;

        @Option(names = "--json", description = "Print a JSON array.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return show(ueid.root, json);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a UEID: up to 32 characters A-Z 0-9 - . , first alphanumeric, no '..'; "
            + "lower case is upper-cased. At most 4 per host. Needs CAP_NET_ADMIN.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        UeidCommand ueid;

        @Parameters(index = "0", paramLabel = "UEID")
        String name;

        @Override
        public Integer call() throws Exception {
            Ueid u = Ueid.of(name);
            ueid.root.kernel().addUeid(u);
            ueid.root.out().println("added UEID " + u);
            return ExitCodes.OK;
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true, aliases = "delete", description = "Remove a UEID. Needs CAP_NET_ADMIN.")
    static final class Del implements Callable<Integer> {
        @ParentCommand
        UeidCommand ueid;

        @Parameters(index = "0", paramLabel = "UEID")
        String name;

        @Override
        public Integer call() throws Exception {
            Ueid u = Ueid.of(name);
            ueid.root.kernel().removeUeid(u);
            ueid.root.out().println("removed UEID " + u);
            return ExitCodes.OK;
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true, description = "Remove every UEID. Needs CAP_NET_ADMIN.")
    static final class Flush implements Callable<Integer> {
        @ParentCommand
        UeidCommand ueid;

        @Override
        public Integer call() throws Exception {
            ueid.root.kernel().flushUeids();
            ueid.root.out().println("UEID table flushed");
            return ExitCodes.OK;
        }
    }
}
