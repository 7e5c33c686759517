package io.smcvertx.cli;

import io.smcvertx.transport.rdma.RdmaDevices;
import io.smcvertx.transport.rdma.RdmaInventory;
import io.smcvertx.transport.system.SmcDevice;
import io.smcvertx.transport.system.SmcDevicePort;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code smcctl devices}: like {@code smcd device} / {@code smcr device}. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "List SMC-D (ISM) and SMC-R (RoCE) devices with ports and PNET IDs "
        + "(like smcd/smcr device). The software loopback-ISM device is not listed by the kernel; "
        + "see 'smcctl linkgroups' (CHID 0xFFFF) for its use.")
final class DevicesCommand implements Callable<Integer> {

    @ParentCommand
    SmcCtl root;

    @Option(names = {"-t", "--type"}, paramLabel = "smcd|smcr", description = "Only this kind.")
    String type;

    @Option(names = "--json", description = "Print JSON (stable keys) instead of text.")
    boolean json;

    @Option(names = "--rdma", description = "Only the RDMA readiness per device and port (sysfs, libibverbs); "
            + "the text output shows it after the SMC devices anyway.")
    boolean rdma;

    @Override
    public Integer call() throws Exception {
        List<SmcDevice> devs = new ArrayList<>();
        if (type != null && !type.equalsIgnoreCase("smcd") && !type.equalsIgnoreCase("smcr")) {
            throw new IllegalArgumentException("`--type` must be smcd or smcr, got '" + type + "'");
        }
        PrintWriter out = root.out();
        if (rdma) {
            RdmaInventory inv = RdmaDevices.inventory();
            List<SmcDevice> smcr;
            try {
                smcr = root.kernel().smcrDevices();
            } catch (java.io.IOException noSmc) {
                smcr = List.of(); // sysfs still says what the RDMA ports are; only the table's PNET IDs are missing
            }
            if (json) {
                out.println(Json.write(RdmaText.json(inv, smcr)));
            } else {
                RdmaText.print(out, inv, smcr);
            }
            return ExitCodes.OK;
        }
        if (type == null || type.equalsIgnoreCase("smcd")) {
            devs.addAll(root.kernel().smcdDevices());
        }
        if (type == null || type.equalsIgnoreCase("smcr")) {
            devs.addAll(root.kernel().smcrDevices());
        }
        if (json) {
            out.println(Json.write(devs.stream().map(DevicesCommand::json).toList()));
            return ExitCodes.OK;
        }
        out.printf("%-5s %-16s %-13s %-5s %-4s %-16s %-7s %s%n", "Type", "Name", "PCI-ID", "Use", "Port", "PNET-ID",
                "Netdev", "Valid");
        for (SmcDevice d : devs) {
            if (d.ports().isEmpty()) {
                out.printf("%-5s %-16s %-13s %-5d%n", d.type(), d.name(), d.pciId(), d.useCount());
            }
            for (SmcDevicePort p : d.ports()) {
                out.printf("%-5s %-16s %-13s %-5d %-4d %-16s %-7d %s%n", d.type(), d.name(), d.pciId(), d.useCount(),
                        p.port(), p.pnetId().orElse("n/a") + (p.pnetIdByUser() ? "*" : ""), p.netdevIfindex(),
                        p.valid() ? "yes" : "no");
            }
        }
        if (devs.isEmpty()) {
            out.println("(no ISM or RoCE devices; loopback-ISM, if loaded, is not listed by the kernel)");
        }
        if (type == null || type.equalsIgnoreCase("smcr")) {
            RdmaText.print(out, RdmaDevices.inventory(), devs.stream().filter(d -> d.type() == SmcDevice.Type.SMCR).toList());
        }
        return ExitCodes.OK;
    }

    static Map<String, Object> json(SmcDevice d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", d.type().name());
        m.put("name", d.name());
        m.put("pci_id", d.pciId());
        m.put("pci_fid", d.pciFid());
        m.put("pci_chid", d.pciChid());
        m.put("pci_vendor", d.pciVendor());
        m.put("pci_device", d.pciDevice());
        m.put("use_count", d.useCount());
        m.put("critical", d.critical());
        m.put("ports", d.ports().stream().map(p -> {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("port", p.port());
            pm.put("pnetid", p.pnetId());
            pm.put("pnetid_by_user", p.pnetIdByUser());
            pm.put("netdev_ifindex", p.netdevIfindex());
            pm.put("state", p.state());
            pm.put("valid", p.valid());
            pm.put("link_count", p.linkCount());
            return pm;
        }).toList());
        return m;
    }
}
