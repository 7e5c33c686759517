package io.smcvertx.cli;

import io.smcvertx.transport.system.SmcSysctl;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code smcctl sysctl [NAME[=VALUE]]}: the net.smc sysctls with their ranges checked. */
@Command(name = "sysctl", mixinStandardHelpOptions = true, description = "Show net.smc.* sysctls, one of them, or set one (NAME=VALUE, range-checked "
        + "before writing; needs root).")
final class SysctlCommand implements Callable<Integer> {

    @ParentCommand
    SmcCtl root;

    @Parameters(arity = "0..1", paramLabel = "NAME[=VALUE]")
    String arg;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (arg != null && arg.contains("=")) {
            String name = arg.substring(0, arg.indexOf('='));
            String value = arg.substring(arg.indexOf('=') + 1);
            root.kernel().setSysctl(name, value);
            root.out().println("net.smc." + SmcSysctl.find(name).orElseThrow().name() + " = " + value.trim());
            return ExitCodes.OK;
        }
        Map<String, String> all = new LinkedHashMap<>(root.kernel().sysctls());
        if (arg != null) {
            String n = arg.startsWith("net.smc.") ? arg.substring(8) : arg;
            if (!all.containsKey(n)) {
                root.err().println("smcctl sysctl: net.smc." + n + " does not exist on this kernel");
                return ExitCodes.NOT_FOUND_OR_EXISTS;
            }
            all.keySet().retainAll(java.util.Set.of(n));
        }
        if (json) {
            root.out().println(Json.write(all));
        } else {
            all.forEach((k, v) -> root.out().println("net.smc." + k + " = " + v + SmcSysctl.find(k)
                    .map(s -> "    # " + s.min() + ".." + s.max() + ", " + s.description()).orElse("")));
        }
        return ExitCodes.OK;
    }
}
