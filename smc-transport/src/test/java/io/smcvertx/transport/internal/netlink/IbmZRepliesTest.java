package io.smcvertx.transport.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.transport.diag.FallbackReason;
import io.smcvertx.transport.internal.netlink.SmcErrors.Subject;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.PnetId;
import io.smcvertx.transport.system.SeidState;
import io.smcvertx.transport.system.SmcDevice;
import io.smcvertx.transport.system.SmcFallbackStats;
import io.smcvertx.transport.system.SmcStats;
import io.smcvertx.transport.system.SmcSysInfo;
import io.smcvertx.transport.system.SmcdLinkGroup;
import io.smcvertx.transport.system.Ueid;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Generic-netlink replies of an IBM Z kernel (Debian 6.12 s390x with loopback-ISM in the lab's
 * s390x guest, captured by capture-fixtures.sh --arch s390x): big-endian, with a SEID. Decoded on
 * this (little-endian) build host in the order the sidecar names; a codec that read them in the
 * host's order would fail each of these.
 */
class IbmZRepliesTest {

    private static final String SEID = "IBM-SYSZ-ISMSEID0000000000008561";

    private static List<NlMsg> dump(String name) throws Exception {
        return Fixtures.reply("s390x/" + name, true, Fixtures::plain);
    }

    @Test
    void theFixturesAreBigEndianAndSayWhereTheyCameFrom() {
        assertThat(Fixtures.order("s390x/gen_sys_info")).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(Fixtures.meta("s390x/gen_sys_info")).contains("\"machine\": \"s390x\"").contains("deb13-s390x");
        // read in the wrong order, the first length field is garbage: refused, not guessed around
        assertThatThrownBy(() -> NlMsg.decodeAll(Fixtures.bytes("s390x/gen_sys_info"), ByteOrder.LITTLE_ENDIAN))
                .hasMessageContaining("malformed netlink message");
    }

    @Test
    void sysInfoCarriesTheSeidAndIsmV2() throws Exception {
        SmcSysInfo info = SmcGenlCodec.sysInfo(dump("gen_sys_info"));
        assertThat(info.version()).isEqualTo(2);
        assertThat(info.ismV2()).isTrue();
        assertThat(info.hostName()).isEqualTo(Fixtures.metaString("s390x/gen_sys_info", "hostname"));
        assertThat(info.seid()).contains(SEID);
        assertThat(Fixtures.metaString("s390x/gen_sys_info", "seid")).isEqualTo(SEID);
    }

    @Test
    void theSeidAndItsSwitch() throws Exception {
        assertThat(SmcGenlCodec.seid(dump("gen_seid_dump"))).isEqualTo(new SeidState(Optional.of(SEID), true));
        assertThat(SmcGenlCodec.seid(dump("gen_seid_dump_disabled"))).isEqualTo(new SeidState(Optional.of(SEID), false));
        assertThat(Fixtures.reply("s390x/gen_disable_seid_ack", false, Fixtures::plain)).isEmpty();
        assertThat(Fixtures.reply("s390x/gen_enable_seid_ack", false, Fixtures::plain)).isEmpty();
    }

    @Test
    void disablingTheSeidWithoutAUeidIsRefusedWithTheKernelsReason() {
        assertThatThrownBy(() -> Fixtures.reply("s390x/gen_disable_seid_error", false,
                SmcErrors.mapper("seid disable", Subject.SEID, "the SEID")))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo((int) Fixtures.number("s390x/gen_disable_seid_error", "errno"));
                    assertThat(e.getMessage()).contains("the SEID cannot be disabled while no UEID is configured")
                            .contains("ENOENT");
                });
    }

    @Test
    void removingTheLastUeidIsAnsweredWithEagainWhichMeansDoneAndTheSeidIsBack() {
        assertThatThrownBy(() -> Fixtures.reply("s390x/gen_remove_last_ueid_eagain", false,
                SmcErrors.mapper("ueid del", Subject.UEID, "UEID SMCVERTX-FIXTURE")))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo((int) Fixtures.number("s390x/gen_remove_last_ueid_eagain", "errno"));
                    assertThat(NetlinkSmcSystem.removedLastUeid(e)).isTrue();
                });
        // any other refusal stays an error
        assertThatThrownBy(() -> Fixtures.reply("s390x/gen_disable_seid_error", false, Fixtures::plain))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(NetlinkSmcSystem.removedLastUeid(e)).isFalse());
    }

    @Test
    void theLoopbackLinkGroupNegotiatedTheSeidAndItsChidIsAU32() throws Exception {
        List<SmcdLinkGroup> lgrs = SmcGenlCodec.smcdLinkGroups(dump("gen_lgr_smcd"));
        assertThat(lgrs).isNotEmpty().allSatisfy(l -> {
            // SMC_NLA_LGR_D_CHID is sent as a u32: read as u16 it would be 0 here
            assertThat(l.chid()).isEqualTo((int) Fixtures.number("s390x/gen_lgr_smcd", "chid"));
            assertThat(l.isLoopback()).isTrue();
            assertThat(l.v2()).get().extracting(v -> v.negotiatedEid())
                    .isEqualTo(Fixtures.metaString("s390x/gen_lgr_smcd", "negotiated_eid"));
            assertThat(l.gid()).isEqualTo(l.peerGid()).isNotZero();
            assertThat(l.connections()).isEqualTo(1);
        });
        assertThat(lgrs.stream().map(SmcdLinkGroup::id).distinct()).hasSize(lgrs.size());
        assertThat(SmcGenlCodec.devices(dump("gen_dev_smcd"), SmcDevice.Type.SMCD)).isEmpty();
    }

    @Test
    void statisticsAndFallbacks() throws Exception {
        SmcStats s = SmcGenlCodec.stats(dump("gen_stats"));
        assertThat(s.smcd("clnt_v2_succ")).isGreaterThanOrEqualTo(Fixtures.number("s390x/gen_stats", "smcd_clnt_v2_succ_min"));
        assertThat(s.smcd("srv_v2_succ")).isGreaterThanOrEqualTo(Fixtures.number("s390x/gen_stats", "smcd_srv_v2_succ_min"));
        // two SMC-D pairs, each 16 KiB client to server and 4 KiB back, both ends in this kernel (u64 counters)
        assertThat(s.smcd("rx_bytes")).isEqualTo(2 * (16_384L + 4_096L));
        assertThat(s.smcd("tx_bytes")).isEqualTo(s.smcd("rx_bytes"));
        assertThat(s.smcr("clnt_v2_succ")).isZero();
        SmcFallbackStats f = SmcGenlCodec.fallbackStats(dump("gen_fback_stats"));
        assertThat(f.count(true, FallbackReason.PEERNOSMC.code())).isEqualTo(1);
        assertThat(f.serverFallbacks()).isEqualTo(1);
        assertThat(f.clientFallbacks()).isZero();
    }

    @Test
    void ueidsPnetAndHandshakeLimitation() throws Exception {
        assertThat(SmcGenlCodec.ueids(dump("gen_ueid_dump_empty"))).isEmpty();
        assertThat(SmcGenlCodec.ueids(dump("gen_ueid_dump"))).containsExactly(Ueid.of("SMCVERTX-FIXTURE"));
        assertThat(SmcGenlCodec.pnetEntries(dump("pnet_dump"))).containsExactly(
                new PnetEntry(PnetId.of("NETFIX1"), Optional.of("lo"), Optional.empty(), 0));
        assertThat(SmcGenlCodec.hsLimitation(dump("gen_hs_limitation_dump"))).isFalse();
        assertThat(Genl.familyId(Fixtures.reply("s390x/genl_family_smc_gen_netlink", false, Fixtures::plain), "SMC_GEN_NETLINK"))
                .isEqualTo((int) Fixtures.number("s390x/genl_family_smc_gen_netlink", "id"));
    }
}
