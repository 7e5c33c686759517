package io.smcvertx.cli;

import io.smcvertx.transport.system.SeidState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code smcctl seid}: the system EID switch, like {@code smcd seid}. */
@Command(name = "seid", mixinStandardHelpOptions = true, description = "Show, enable or disable the System EID (like smcd/smcr seid). The SEID is "
        + "derived from IBM Z hardware and cannot be set; other hosts have none and the kernel refuses changes.",
        subcommands = {SeidCommand.Show.class, SeidCommand.Enable.class, SeidCommand.Disable.class})
final class SeidCommand implements Callable<Integer> {

    @ParentCommand
    SmcCtl root;

    @Override
    public Integer call() throws Exception {
        return show(root, false);
    }

    static int show(SmcCtl root, boolean json) throws Exception {
        SeidState s = root.kernel().seid();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seid", s.seid().orElse(null));
            m.put("enabled", s.enabled());
            root.out().println(Json.write(m));
        } else {
            root.out().println("SEID " + s.seid().orElse("n/a (only IBM Z has one)")
                    + (s.enabled() ? " [enabled]" : " [disabled]"));
        }
        return ExitCodes.OK;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show the SEID and whether it is used.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        SeidCommand seid;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return show(seid.root, json);
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Use the SEID in handshakes (IBM Z only). Needs CAP_NET_ADMIN.")
    static final class Enable implements Callable<Integer> {
        @ParentCommand
        SeidCommand seid;

        @Override
        public Integer call() throws Exception {
            seid.root.kernel().setSeidEnabled(true);
            seid.root.out().println("SEID enabled");
            return ExitCodes.OK;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Stop using the SEID (IBM Z only; needs a UEID). Needs CAP_NET_ADMIN.")
    static final class Disable implements Callable<Integer> {
        @ParentCommand
        SeidCommand seid;

        @Override
        public Integer call() throws Exception {
            seid.root.kernel().setSeidEnabled(false);
            seid.root.out().println("SEID disabled");
            return ExitCodes.OK;
        }
    }
}
