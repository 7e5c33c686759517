package io.smcvertx.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.Ueid;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FleetConfigJsonTest {

    static FleetConfig sample(long revision) {
        return FleetConfig.builder(revision)
                .comment("db hosts on NET1")
                .pnet(PnetEntry.ethernet("net1", "eth0"), HostSelector.label("role", "db"))
                .pnet(new PnetEntry(io.smcvertx.transport.system.PnetId.of("NET2"), Optional.of("eth1"),
                        Optional.of("mlx5_0"), 2), HostSelector.names("h1"))
                .ueid("SMCVERTX-PROD")
                .ueid("lab.1", HostSelector.names("h2"))
                .handshakeLimitation(true)
                .sysctl("net.smc.wmem", "262144")
                .build();
    }

    @Test
    void canonicalFormRoundTripsAndIsStable() {
        FleetConfig c = sample(3);
        byte[] bytes = FleetConfigJson.canonical(c);
        FleetConfig back = FleetConfigJson.parse(new String(bytes, StandardCharsets.UTF_8));
        assertThat(back).isEqualTo(c);
        assertThat(FleetConfigJson.canonical(back)).isEqualTo(bytes);
        assertThat(FleetConfigJson.parse(FleetConfigJson.pretty(c))).isEqualTo(c);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("{\"revision\":3,");
    }

    @Test
    void sliceHoldsWhatMatchesTheHostSplitAsTheKernelListsIt() {
        FleetConfig c = sample(3);
        HostSlice h1 = c.sliceFor(new HostIdentity("h1", Map.of("role", "db")));
        assertThat(h1.pnet()).containsExactlyInAnyOrder(PnetEntry.ethernet("NET1", "eth0"),
                PnetEntry.ethernet("NET2", "eth1"), PnetEntry.device("NET2", "mlx5_0", 2));
        assertThat(h1.ueids()).containsExactly(Ueid.of("SMCVERTX-PROD"));
        assertThat(h1.sysctls()).containsEntry("wmem", "262144");
        assertThat(h1.handshakeLimitation()).contains(true);
        HostSlice h2 = c.sliceFor(HostIdentity.of("h2"));
        assertThat(h2.pnet()).isEmpty();
        assertThat(h2.ueids()).containsExactlyInAnyOrder(Ueid.of("SMCVERTX-PROD"), Ueid.of("LAB.1"));
    }

    @Test
    void revisionMayComeFromTheCaller() {
        FleetConfig c = FleetConfigJson.parse("{\"ueids\":[\"A\"]}", 9);
        assertThat(c.revision()).isEqualTo(9);
        assertThat(c.withRevision(10).revision()).isEqualTo(10);
    }
}
