package io.smcvertx.transport.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.transport.internal.ffm.Errno;
import io.smcvertx.transport.internal.netlink.SmcErrors.Subject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Reply handling against kernel-captured datagrams, and the real host kernel where it has no SMC. */
class NetlinkReplyTest {

    @Test
    void familyIdsResolveFromCapturedReplies() throws Exception {
        assertThat(Genl.familyId(Fixtures.reply("genl_family_smc_gen_netlink", false, Fixtures::plain), "SMC_GEN_NETLINK"))
                .isEqualTo((int) Fixtures.number("genl_family_smc_gen_netlink", "id"));
        assertThat(Genl.familyId(Fixtures.reply("genl_family_smc_pnetid", false, Fixtures::plain), "SMC_PNETID"))
                .isEqualTo((int) Fixtures.number("genl_family_smc_pnetid", "id"));
    }

    @Test
    void extendedAckTextReachesTheException() {
        assertThatThrownBy(() -> Fixtures.reply("gen_add_ueid_too_long_error", false,
                SmcErrors.mapper("ueid add", Subject.UEID, "UEID XXXX")))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo((int) Fixtures.number("gen_add_ueid_too_long_error", "errno"));
                    assertThat(e.extack()).isEqualTo("Attribute failed policy validation");
                    assertThat(e.getMessage()).contains("ueid add").doesNotContain("table is full")
                            .contains("kernel: Attribute failed policy validation");
                });
    }

    @Test
    void seidOffIbmZSaysSo() {
        assertThatThrownBy(() -> Fixtures.reply("gen_enable_seid_error", false,
                SmcErrors.mapper("seid enable", Subject.SEID, "the SEID")))
                .hasMessageContaining("the SEID exists only on IBM Z").hasMessageContaining("EOPNOTSUPP");
    }

    @Test
    void pnetConflictsAndMissingEntriesNameTheEntry() {
        assertThatThrownBy(() -> Fixtures.reply("pnet_add_exists_error", false,
                SmcErrors.mapper("pnet add", Subject.PNET, "PNET ID NETFIX2 on lo")))
                .hasMessageContaining("PNET ID NETFIX2 on lo: the interface or device port already has a PNET ID")
                .hasMessageContaining("EEXIST");
        assertThatThrownBy(() -> Fixtures.reply("pnet_del_missing_error", false,
                SmcErrors.mapper("pnet del", Subject.PNET, "PNET ID NETFIX1")))
                .hasMessageContaining("PNET ID NETFIX1 not found").hasMessageContaining("ENOENT");
    }

    @Test
    void acknowledgementsCompleteWithoutData() throws Exception {
        assertThat(Fixtures.reply("gen_add_ueid_ack", false, Fixtures::plain)).isEmpty();
        assertThat(Fixtures.reply("pnet_add_ack", false, Fixtures::plain)).isEmpty();
    }

    @Test
    void repliesToOtherSequenceNumbersAreIgnored() throws Exception {
        NetlinkSocket.ReplyCollector c = new NetlinkSocket.ReplyCollector("t", Fixtures.seq("gen_ueid_dump") + 1, true,
                Fixtures::plain);
        c.accept(Fixtures.bytes("gen_ueid_dump"));
        assertThat(c.complete()).isFalse();
        assertThat(c.messages()).isEmpty();
    }

    @Test
    void errorMappingTable() {
        assertThat(SmcErrors.hint(Subject.PNET, "PNET ID X", Errno.EPERM)).isEqualTo(SmcErrors.NEEDS_CAP_NET_ADMIN);
        assertThat(SmcErrors.hint(Subject.UEID, "UEID A", Errno.EACCES)).contains("needs CAP_NET_ADMIN");
        assertThat(SmcErrors.hint(Subject.SEID, "the SEID", Errno.EOPNOTSUPP)).isEqualTo(SmcErrors.SEID_ONLY_ON_IBM_Z);
        assertThat(SmcErrors.hint(Subject.UEID, "UEID A", Errno.ENOENT)).isEqualTo("UEID A not found");
        assertThat(SmcErrors.hint(Subject.UEID, "UEID A", Errno.EEXIST)).isEqualTo("UEID A already exists");
        assertThat(SmcErrors.hint(Subject.UEID, "UEID A", Errno.ERANGE)).contains("at most 4");
        assertThat(SmcErrors.hint(Subject.SEID, "the SEID", Errno.ENOENT)).contains("no UEID");
    }

    /** The build host's kernel has generic netlink but no SMC: the real lookup must say so. */
    @Test
    void missingSmcFamilyOnThisKernelSaysLoadTheModule() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.exists(java.nio.file.Path.of("/sys/module/smc")),
                "this kernel has the smc module loaded");
        try (NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_GENERIC, Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> Genl.resolve(s, "SMC_GEN_NETLINK"))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessageContaining("SMC generic netlink family SMC_GEN_NETLINK not found (is the smc module loaded?)");
            // the controller itself answers on this kernel: a known family resolves
            assertThat(Genl.resolve(s, "nlctrl")).isEqualTo(Genl.GENL_ID_CTRL);
        }
        assertThatThrownBy(() -> io.smcvertx.transport.system.SmcKernel.netlink().ueids())
                .hasMessageContaining("is the smc module loaded?");
    }
}
