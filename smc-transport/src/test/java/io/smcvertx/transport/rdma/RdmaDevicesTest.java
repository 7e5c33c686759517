package io.smcvertx.transport.rdma;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RDMA reader over the sysfs attributes of rxe0, as capture_smcr.py read them in a lab guest
 * (unpopulated GID slots answered EINVAL there: such files are left out here, which the reader
 * treats the same way).
 */
class RdmaDevicesTest {

    @TempDir
    Path sys;

    static Map<String, String> captured(String side) throws Exception {
        try (InputStream in = RdmaDevicesTest.class.getResourceAsStream("/fixtures/smcr/rdma_sysfs_" + side + ".json")) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> out = new TreeMap<>();
            Matcher m = Pattern.compile("\"([^\"]+)\": \"([^\"]*)\"").matcher(json);
            while (m.find()) {
                out.put(m.group(1), m.group(2));
            }
            return out;
        }
    }

    @Test
    void rxeOffersOnlyRoceV2SoOnlySmcRv2() throws Exception {
        Map<String, String> attrs = captured("client");
        for (Map.Entry<String, String> e : attrs.entrySet()) {
            if (!e.getValue().startsWith("!errno")) {
                Path p = sys.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, e.getValue() + "\n");
            }
        }
        long v2 = attrs.entrySet().stream().filter(e -> e.getKey().contains("/gid_attrs/types/") && e.getValue().equals("RoCE v2")).count();
        long v1 = attrs.entrySet().stream().filter(e -> e.getKey().contains("/gid_attrs/types/") && e.getValue().equals("IB/RoCE v1")).count();

        RdmaInventory inv = RdmaDevices.read(sys, false);
        assertThat(inv.devices()).extracting(RdmaDevice::name).containsExactly("rxe0");
        RdmaDevice rxe = inv.devices().getFirst();
        assertThat(rxe.parent()).contains(attrs.get("class/infiniband/rxe0/parent"));
        assertThat(rxe.hardwarePnetId(1)).isEmpty();
        RdmaPort p = rxe.ports().getFirst();
        assertThat(p.state()).isEqualTo("ACTIVE");
        assertThat(p.linkLayer()).isEqualTo("Ethernet");
        assertThat(p.netdev()).contains("eth0");
        assertThat(p.gids().stream().filter(g -> g.type() == GidType.ROCE_V2).count()).isEqualTo(v2);
        assertThat(p.gids().stream().filter(g -> g.type() == GidType.ROCE_V1).count()).isEqualTo(v1);
        assertThat(v1).as("rxe offers no RoCE v1 GID").isZero();
        assertThat(p.gids()).anySatisfy(g -> assertThat(g.ipv4Mapped()).isTrue());
        assertThat(p.smcRv2()).isTrue();
        assertThat(p.smcRv1()).isFalse();
        assertThat(p.smcMeaning()).startsWith("SMC-Rv2 only");
        assertThat(p.activeMtu()).isEmpty();
    }

    @Test
    void noDevicesMeansNothingToAskLibibverbs() {
        RdmaInventory inv = RdmaDevices.read(sys, true);
        assertThat(inv.devices()).isEmpty();
        assertThat(inv.verbs().state()).isEqualTo(VerbsStatus.State.NOT_NEEDED);
    }

    @Test
    void stateNamesDropTheNumber() {
        assertThat(RdmaDevices.stateName("4: ACTIVE")).isEqualTo("ACTIVE");
        assertThat(RdmaDevices.stateName("1: DOWN")).isEqualTo("DOWN");
    }
}
