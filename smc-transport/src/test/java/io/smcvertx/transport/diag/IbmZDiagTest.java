package io.smcvertx.transport.diag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.transport.internal.netlink.Fixtures;
import io.smcvertx.transport.internal.netlink.NlMsg;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * smc_diag dumps of an IBM Z kernel (the lab's s390x guest, Debian 6.12 with loopback-ISM and the
 * machine's SEID, no UEID), checked against what python and fstat saw in the guest. In these
 * replies ports and addresses are big-endian as everywhere, and so is everything else (uid, inode,
 * the fallback reasons, the DMB tokens): a decoder that read those in the build host's order gets
 * each of the checks below wrong. The IPv6 and plain-TCP-peer captures of both kernels are decoded
 * by {@link SmcDiagCodecTest}.
 */
class IbmZDiagTest {

    private static List<SmcSocketInfo> decode(String fixture) throws Exception {
        return SmcDiagCodec.decodeAll(Fixtures.reply("s390x/" + fixture, true, Fixtures::plain));
    }

    private static SmcSocketInfo byInode(List<SmcSocketInfo> all, String fixture, String key) {
        long inode = Fixtures.number("s390x/" + fixture, key);
        return all.stream().filter(s -> s.inode() == inode).findFirst()
                .orElseThrow(() -> new AssertionError(key + " " + inode + " not in " + all));
    }

    @Test
    void smcdWithTheSeidAloneAtBothEnds() throws Exception {
        List<SmcSocketInfo> all = decode("diag_smcd");
        assertThat(Fixtures.order("s390x/diag_smcd")).isEqualTo(ByteOrder.BIG_ENDIAN);
        int port = (int) Fixtures.number("s390x/diag_smcd", "port");
        SmcSocketInfo client = byInode(all, "diag_smcd", "client_inode");
        SmcSocketInfo accepted = byInode(all, "diag_smcd", "accepted_inode");
        SmcSocketInfo listener = byInode(all, "diag_smcd", "listen_inode");
        for (SmcSocketInfo s : List.of(client, accepted)) {
            assertThat(s.mode()).isEqualTo(ConnectionMode.SMCD);
            assertThat(s.state()).isEqualTo("ACTIVE");
            assertThat(s.fallbackReason().isNone()).isTrue();
            assertThat(s.peerDiagnosis().isNone()).isTrue();
            assertThat(s.uid()).isZero();       // root in the guest; in host order a non-zero uid would show
            assertThat(s.sndBufSize()).isBetween(16 * 1024, 1024 * 1024);
            assertThat(s.rmbeSize()).isBetween(16 * 1024, 1024 * 1024);
            assertThat(s.local().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        }
        assertThat(listener.isListener()).isTrue();
        assertThat(listener.local().getPort()).isEqualTo(port);
        assertThat(client.peer().getPort()).isEqualTo(port);
        assertThat(accepted.local().getPort()).isEqualTo(port);
        assertThat(client.local().getPort()).isEqualTo((int) Fixtures.number("s390x/diag_smcd", "client_port"));
        SmcdDmbInfo c = client.smcd().orElseThrow();
        SmcdDmbInfo a = accepted.smcd().orElseThrow();
        // loopback-ISM: one GID for both ends, each end's token is the other's peer token
        assertThat(c.peerToken()).isEqualTo(a.token());
        assertThat(a.peerToken()).isEqualTo(c.token());
        assertThat(c.gidHex()).isEqualTo(a.gidHex()).hasSize(32);
    }

    @Test
    void theSameBytesReadInTheWrongOrderAreRefusedNotGuessed() throws Exception {
        byte[] payload = NlMsg.decodeAll(Fixtures.bytes("s390x/diag_smcd"), ByteOrder.BIG_ENDIAN).getFirst().payload();
        assertThat(SmcDiagCodec.decode(payload, ByteOrder.BIG_ENDIAN).mode()).isEqualTo(ConnectionMode.SMCD);
        // the first attribute's length, read little-endian, points far past the message
        assertThatThrownBy(() -> SmcDiagCodec.decode(payload, ByteOrder.LITTLE_ENDIAN))
                .hasMessageContaining("malformed netlink attribute at offset 64");
    }
}
