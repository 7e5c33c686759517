package io.smcvertx.cli;

import io.smcvertx.transport.system.SeidState;
import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.SmcSysInfo;
import io.smcvertx.transport.system.Ueid;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code smcctl info}: like {@code smcd info} / {@code smcr info}. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show the kernel's SMC version and capabilities, host name, UEIDs, SEID, "
        + "handshake limitation and net.smc sysctls (like smcd/smcr info).")
final class InfoCommand implements Callable<Integer> {

    @ParentCommand
    SmcCtl root;

    @Option(names = "--json", description = "Print JSON (stable keys) instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SmcKernel k = root.kernel();
        SmcSysInfo info = k.sysInfo();
        List<Ueid> ueids = k.ueids();
        SeidState seid = k.seid();
        boolean hs = k.handshakeLimitation();
        Map<String, String> sysctls = k.sysctls();
        PrintWriter out = root.out();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("smc_version", info.version());
            m.put("smc_release", info.release());
            m.put("smcd_v2_capable", info.ismV2());
            m.put("smcr_v2_capable", info.smcrV2());
            m.put("host_name", info.hostName());
            m.put("seid", seid.seid().orElse(null));
            m.put("seid_enabled", seid.enabled());
            m.put("ueids", ueids.stream().map(Ueid::value).toList());
            m.put("handshake_limitation", hs);
            m.put("sysctls", sysctls);
            out.println(Json.write(m));
            return ExitCodes.OK;
        }
        out.printf("SMC version          %d.%d%n", info.version(), info.release());
        out.printf("SMC-Dv2 capable      %s%n", yes(info.ismV2()));
        out.printf("SMC-Rv2 capable      %s%n", yes(info.smcrV2()));
        out.printf("Host name            %s%n", info.hostName());
        out.printf("SEID                 %s%s%n", seid.seid().orElse("n/a"), seid.enabled() ? " (enabled)" : " (disabled)");
        out.printf("UEIDs                %s%n", ueids.isEmpty() ? "none (SMC-Dv2 off IBM Z needs one: smcctl ueid add NAME)"
                : String.join(", ", ueids.stream().map(Ueid::value).toList()));
        out.printf("Handshake limitation %s%n", hs ? "on" : "off");
        sysctls.forEach((n, v) -> out.printf("net.smc.%-24s %s%n", n, v));
        return ExitCodes.OK;
    }

    static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
