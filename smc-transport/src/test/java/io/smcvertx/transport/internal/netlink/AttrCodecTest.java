package io.smcvertx.transport.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AttrCodecTest {

    @Test
    void scalarsStringsAndNestsRoundTrip() {
        byte[] bytes = new AttrWriter()
                .u8(1, 0xfe).u16(2, 0xbeef).u32(3, 0xdeadbeef).u64(4, 0x0123456789abcdefL).string(5, "NET1")
                .beginNest(6).u32(1, 7).beginNest(2).string(1, "inner").endNest().endNest()
                .toByteArray();
        assertThat(bytes.length % 4).isZero();
        Attrs a = Attrs.parse(bytes, 0, bytes.length);
        assertThat(a.u8(1, -1)).isEqualTo(0xfe);
        assertThat(a.u16(2, -1)).isEqualTo(0xbeef);
        assertThat(a.u32(3, 0)).isEqualTo(0xdeadbeef);
        assertThat(a.find(4).orElseThrow().u64()).isEqualTo(0x0123456789abcdefL);
        assertThat(a.find(4).orElseThrow().uint()).isEqualTo(0x0123456789abcdefL);
        assertThat(a.string(5)).contains("NET1");
        Attrs nest = a.nested(6);
        assertThat(nest.u32(1, 0)).isEqualTo(7);
        assertThat(nest.nested(2).string(1)).contains("inner");
        // the nested flag is stripped from the type, and the nest length covers its children
        assertThat(a.find(6)).isPresent();
    }

    @Test
    void repeatedAttributesKeepOrder() {
        byte[] bytes = new AttrWriter().string(1, "a").string(1, "b").string(1, "c").toByteArray();
        List<Attr> all = Attrs.parse(bytes, 0, bytes.length).all(1);
        assertThat(all).extracting(Attr::string).containsExactly("a", "b", "c");
    }

    @Test
    void attributeRunningPastTheEndIsRejected() {
        byte[] bytes = new AttrWriter().string(1, "abcdef").toByteArray();
        bytes[0] = 40;
        assertThatThrownBy(() -> Attrs.parse(bytes, 0, bytes.length)).hasMessageContaining("malformed netlink attribute");
    }

    @Test
    void unbalancedNestsAreCaught() {
        assertThatThrownBy(() -> new AttrWriter().beginNest(1).toByteArray()).hasMessageContaining("still open");
        assertThatThrownBy(() -> new AttrWriter().endNest()).hasMessageContaining("without beginNest");
    }

    @Test
    void messageRoundTrip() {
        byte[] payload = Genl.payload(9, 1, new AttrWriter().u8(1, 1).toByteArray());
        NlMsg m = new NlMsg(0x23, NlMsg.NLM_F_REQUEST | NlMsg.NLM_F_DUMP, 77, 0, payload);
        List<NlMsg> back = NlMsg.decodeAll(m.encode());
        assertThat(back).hasSize(1);
        assertThat(back.getFirst().type()).isEqualTo(0x23);
        assertThat(back.getFirst().seq()).isEqualTo(77);
        assertThat(Genl.cmd(back.getFirst())).isEqualTo(9);
        assertThat(Genl.attrs(back.getFirst()).u8(1, 0)).isEqualTo(1);
    }

    @Test
    void familyRequestMatchesWhatTheKernelEchoed() throws Exception {
        // the kernel echoes our request in its error reply: compare against a captured one
        NlMsg err = NlMsg.decodeAll(Fixtures.bytes("genl_family_name_too_long")).getFirst();
        byte[] echoed = java.util.Arrays.copyOfRange(err.payload(), 4 + NlMsg.HEADER, 4 + 16 + 4 + 24);
        byte[] ours = Genl.getFamilyRequest("SMC_NO_SUCH_FAMILY");
        assertThat(ours).isEqualTo(echoed);
    }
}
