package io.smcvertx.transport.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.transport.diag.FallbackReason;
import io.smcvertx.transport.diag.SmcLabSockets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every SmcKernel command against the lab kernel (runs as root in the guest). */
class SmcKernelIT {

    private static final SmcKernel K = SmcKernel.netlink(Duration.ofSeconds(60));

    @BeforeAll
    static void kernelSmc() {
        SmcLabSockets.requireKernelSmc();
    }

    @Test
    void pnetAddShowDeleteFlush() throws Exception {
        PnetId id = PnetId.of("smcvxit1");
        try {
            K.addPnet(PnetEntry.ethernet("smcvxit1", "lo"));
            assertThat(K.pnet(id)).singleElement().satisfies(e -> assertThat(e.ethName()).contains("lo"));
            assertThat(K.pnetTable()).anyMatch(e -> e.pnetId().equals(id));
            // one PNET ID per interface: a second one is refused, naming the entry
            assertThatThrownBy(() -> K.addPnet(PnetEntry.ethernet("SMCVXIT2", "lo")))
                    .hasMessageContaining("PNET ID SMCVXIT2 on lo").hasMessageContaining("EEXIST");
            K.removePnet(id);
            assertThat(K.pnet(id)).isEmpty();
            assertThatThrownBy(() -> K.removePnet(id)).hasMessageContaining("PNET ID SMCVXIT1 not found");
            K.addPnet(PnetEntry.ethernet("smcvxit1", "lo"));
            K.flushPnet();
            assertThat(K.pnetTable()).isEmpty();
        } finally {
            K.flushPnet();
        }
    }

    @Test
    void ueidAddRemoveFlushAndTheLimitOfFour() throws Exception {
        SmcLabSockets.withUeids(K, List.of(), () -> {
            K.addUeid(Ueid.of("it-one"));
            assertThat(K.ueids()).containsExactly(Ueid.of("IT-ONE"));
            assertThatThrownBy(() -> K.addUeid(Ueid.of("IT-ONE"))).hasMessageContaining("UEID IT-ONE already exists");
            K.addUeid(Ueid.of("IT-TWO"));
            K.addUeid(Ueid.of("IT-THREE"));
            K.addUeid(Ueid.of("IT-FOUR"));
            assertThatThrownBy(() -> K.addUeid(Ueid.of("IT-FIVE")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("`ueid`")
                    .hasMessageContaining("maximum is 4");
            assertThat(K.ueids()).hasSize(4);
            K.removeUeid(Ueid.of("IT-TWO"));
            assertThat(K.ueids()).doesNotContain(Ueid.of("IT-TWO")).hasSize(3);
            assertThatThrownBy(() -> K.removeUeid(Ueid.of("IT-TWO"))).hasMessageContaining("UEID IT-TWO not found");
            K.flushUeids();
            assertThat(K.ueids()).isEmpty();
        });
    }

    @Test
    void seidCommandsSayIbmZOnly() throws Exception {
        SeidState s = K.seid();
        assertThat(s.seid()).isEmpty();
        assertThat(s.enabled()).isFalse();
        assertThatThrownBy(() -> K.setSeidEnabled(true)).hasMessageContaining("the SEID exists only on IBM Z");
        assertThatThrownBy(() -> K.setSeidEnabled(false)).hasMessageContaining("the SEID exists only on IBM Z");
    }

    @Test
    void handshakeLimitationAndItsSysctl() throws Exception {
        try {
            K.setHandshakeLimitation(true);
            assertThat(K.handshakeLimitation()).isTrue();
            assertThat(K.sysctl("limit_smc_hs")).contains("1");
            K.setHandshakeLimitation(false);
            assertThat(K.handshakeLimitation()).isFalse();
            assertThat(K.sysctl("net.smc.limit_smc_hs")).contains("0");
        } finally {
            K.setHandshakeLimitation(false);
        }
    }

    @Test
    void sysctlsReadWriteAndRangeChecks() throws Exception {
        Map<String, String> all = K.sysctls();
        assertThat(all).containsKeys("wmem", "rmem", "limit_smc_hs", "autocorking_size");
        String before = all.get("wmem");
        try {
            K.setSysctl("net.smc.wmem", "32768");
            assertThat(K.sysctl("wmem")).contains("32768");
            assertThatThrownBy(() -> K.setSysctl("wmem", "100")).hasMessageContaining("`net.smc.wmem`");
            assertThat(K.sysctl("wmem")).contains("32768");
        } finally {
            K.setSysctl("wmem", before);
        }
        assertThat(K.sysctl("no_such_sysctl")).isEmpty();
    }

    @Test
    void sysInfoDevicesAndLinkGroups() throws Exception {
        SmcSysInfo info = K.sysInfo();
        assertThat(info.version()).isEqualTo(2);
        assertThat(info.ismV2()).isTrue();
        assertThat(K.smcdDevices()).isEmpty(); // loopback-ISM is not listed by the kernel
        assertThat(K.smcrDevices()).isEmpty();
        assertThat(K.smcrLinkGroups()).isEmpty();
        SmcLabSockets.withUeids(K, List.of(Ueid.of("SMCVERTX-LGR-IT")), () -> {
            try (SmcLabSockets.Pair p = new SmcLabSockets.Pair().connect(true, 1024)) {
                // the kernel reuses a lingering loopback link group (with the EID it was negotiated
                // with) for new connections, so the EID is not necessarily ours
                assertThat(K.smcdLinkGroups()).anySatisfy(g -> {
                    assertThat(g.isLoopback()).isTrue();
                    assertThat(g.connections()).isGreaterThanOrEqualTo(1);
                    assertThat(g.v2()).get().extracting(SmcLinkGroupV2::negotiatedEid).asString().isNotBlank();
                });
            }
        });
    }

    @Test
    void statsCountSmcdTrafficAndFallbacks() throws Exception {
        SmcLabSockets.withUeids(K, List.of(Ueid.of("SMCVERTX-STATS-IT")), () -> {
            SmcStats before = K.stats();
            try (SmcLabSockets.Pair p = new SmcLabSockets.Pair().connect(true, 200_000)) {
                SmcStats after = K.stats();
                assertThat(after.smcd("clnt_v2_succ")).isEqualTo(before.smcd("clnt_v2_succ") + 1);
                assertThat(after.smcd("srv_v2_succ")).isEqualTo(before.smcd("srv_v2_succ") + 1);
                assertThat(after.smcd("tx_bytes") - before.smcd("tx_bytes")).isGreaterThanOrEqualTo(200_000);
                assertThat(after.smcd("rx_bytes") - before.smcd("rx_bytes")).isGreaterThanOrEqualTo(200_000);
            }
        });
        long peerNoSmc = K.fallbackStats().count(true, FallbackReason.PEERNOSMC.code());
        long srvTotal = K.fallbackStats().serverFallbacks();
        try (SmcLabSockets.Pair p = new SmcLabSockets.Pair().connect(false, 1024)) {
            SmcFallbackStats f = K.fallbackStats();
            assertThat(f.count(true, 0x03010000)).isEqualTo(peerNoSmc + 1);
            assertThat(f.serverFallbacks()).isEqualTo(srvTotal + 1);
        }
    }
}
