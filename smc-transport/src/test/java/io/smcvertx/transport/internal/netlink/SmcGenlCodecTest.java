package io.smcvertx.transport.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.diag.FallbackReason;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.SmcDevice;
import io.smcvertx.transport.system.SmcFallbackStats;
import io.smcvertx.transport.system.SmcStats;
import io.smcvertx.transport.system.SmcSysInfo;
import io.smcvertx.transport.system.SmcdLinkGroup;
import io.smcvertx.transport.system.Ueid;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SMC generic-netlink decoders against replies captured from the lab kernel (6.12, loopback-ISM). */
class SmcGenlCodecTest {

    private static List<NlMsg> dump(String name) throws Exception {
        return Fixtures.reply(name, true, Fixtures::plain);
    }

    @Test
    void sysInfo() throws Exception {
        SmcSysInfo info = SmcGenlCodec.sysInfo(dump("gen_sys_info"));
        assertThat(info.version()).isEqualTo(2);
        assertThat(info.release()).isEqualTo(1);
        assertThat(info.ismV2()).isTrue();
        assertThat(info.hostName()).isEqualTo("(none)"); // the guest has no host name; padding stripped
        assertThat(info.seid()).isEmpty();
    }

    @Test
    void ueidDumps() throws Exception {
        assertThat(SmcGenlCodec.ueids(dump("gen_ueid_dump_empty"))).isEmpty();
        assertThat(SmcGenlCodec.ueids(dump("gen_ueid_dump"))).containsExactly(Ueid.of("SMCVERTX-FIXTURE"));
    }

    @Test
    void ueidRequestIsBlankPaddedTo32() {
        byte[] a = SmcGenlCodec.ueidAttrs(Ueid.of("abc"));
        Attr attr = Attrs.parse(a, 0, a.length).find(1).orElseThrow();
        assertThat(attr.value()).hasSize(33);
        assertThat(attr.string()).isEqualTo("ABC" + " ".repeat(29));
    }

    @Test
    void seidAndHandshakeLimitationOffIbmZ() throws Exception {
        assertThat(SmcGenlCodec.seid(dump("gen_seid_dump")).seid()).isEmpty();
        assertThat(SmcGenlCodec.seid(dump("gen_seid_dump")).enabled()).isFalse();
        assertThat(SmcGenlCodec.hsLimitation(dump("gen_hs_limitation_dump"))).isFalse();
    }

    @Test
    void loopbackIsmIsNotListedAsADevice() throws Exception {
        assertThat(SmcGenlCodec.devices(dump("gen_dev_smcd"), SmcDevice.Type.SMCD)).isEmpty();
        assertThat(SmcGenlCodec.devices(dump("gen_dev_smcr"), SmcDevice.Type.SMCR)).isEmpty();
    }

    @Test
    void loopbackLinkGroupsHaveChidFfff() throws Exception {
        List<SmcdLinkGroup> lgrs = SmcGenlCodec.smcdLinkGroups(dump("gen_lgr_smcd"));
        assertThat(lgrs).isNotEmpty().allSatisfy(l -> {
            assertThat(l.isLoopback()).isTrue();
            assertThat(l.connections()).isEqualTo(1);
            assertThat(l.v2()).get().extracting(v -> v.negotiatedEid()).isEqualTo("SMCVERTX-FIXTURE");
            assertThat(l.gid()).isEqualTo(l.peerGid());
        });
        assertThat(SmcGenlCodec.smcrLinkGroups(dump("gen_lgr_smcr"))).isEmpty();
        assertThat(SmcGenlCodec.smcrLinkGroups(dump("gen_link_smcr"))).isEmpty();
    }

    @Test
    void statsCountTheCapturedSmcdConnections() throws Exception {
        SmcStats s = SmcGenlCodec.stats(dump("gen_stats"));
        assertThat(s.smcd("clnt_v2_succ")).isGreaterThanOrEqualTo(Fixtures.number("gen_stats", "smcd_clnt_v2_succ_min"));
        assertThat(s.smcd("srv_v2_succ")).isGreaterThanOrEqualTo(Fixtures.number("gen_stats", "smcd_srv_v2_succ_min"));
        assertThat(s.smcd("rx_bytes")).isGreaterThan(0);
        assertThat(s.smcd()).containsKey("tx_rmb_size.16K").containsKey("rx_rmb_stats.alloc_cnt");
        assertThat(s.smcr("clnt_v2_succ")).isZero();
    }

    @Test
    void fallbackStatsPerReason() throws Exception {
        SmcFallbackStats f = SmcGenlCodec.fallbackStats(dump("gen_fback_stats"));
        assertThat(f.count(true, FallbackReason.NOUEID.code())).isEqualTo(1);
        assertThat(f.count(true, FallbackReason.PEERNOSMC.code())).isEqualTo(1);
        assertThat(f.count(false, FallbackReason.PEERDECL.code())).isEqualTo(1);
        assertThat(f.serverFallbacks()).isEqualTo(2);
        assertThat(f.clientFallbacks()).isEqualTo(1);
    }

    @Test
    void pnetTableAndRequest() throws Exception {
        List<PnetEntry> t = SmcGenlCodec.pnetEntries(dump("pnet_dump"));
        assertThat(t).containsExactly(new PnetEntry(io.smcvertx.transport.system.PnetId.of("NETFIX1"),
                Optional.of("lo"), Optional.empty(), 0));
        byte[] req = SmcGenlCodec.pnetAttrs(PnetEntry.device("net2", "mlx5_0", 2));
        Attrs a = Attrs.parse(req, 0, req.length);
        assertThat(a.string(1)).contains("NET2");
        assertThat(a.string(3)).contains("mlx5_0");
        assertThat(a.u8(4, 0)).isEqualTo(2);
        assertThat(a.find(2)).isEmpty();
    }
}
