package io.smcvertx.transport.diag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.transport.internal.netlink.Fixtures;
import io.smcvertx.transport.internal.netlink.NlMsg;
import java.net.Inet6Address;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decodes smc_diag dumps captured from the lab kernel and checks them against what python saw. */
class SmcDiagCodecTest {

    private static List<SmcSocketInfo> decode(String fixture) throws Exception {
        return SmcDiagCodec.decodeAll(Fixtures.reply(fixture, true, Fixtures::plain));
    }

    private static SmcSocketInfo byInode(List<SmcSocketInfo> all, String fixture, String key) {
        long inode = Fixtures.number(fixture, key);
        return all.stream().filter(s -> s.inode() == inode).findFirst()
                .orElseThrow(() -> new AssertionError(key + " " + inode + " not in " + all));
    }

    @Test
    void smcdConnectionBothEnds() throws Exception {
        List<SmcSocketInfo> all = decode("diag_smcd");
        int port = (int) Fixtures.number("diag_smcd", "port");
        SmcSocketInfo client = byInode(all, "diag_smcd", "client_inode");
        SmcSocketInfo accepted = byInode(all, "diag_smcd", "accepted_inode");
        for (SmcSocketInfo s : List.of(client, accepted)) {
            assertThat(s.mode()).isEqualTo(ConnectionMode.SMCD);
            assertThat(s.state()).isEqualTo("ACTIVE");
            assertThat(s.fallbackReason().isNone()).isTrue();
            assertThat(s.peerDiagnosis().isNone()).isTrue();
            assertThat(s.smcd()).isPresent();
            assertThat(s.smcr()).isEmpty();
            assertThat(s.sndBufSize()).isGreaterThan(0);
            assertThat(s.rmbeSize()).isGreaterThan(0);
            assertThat(s.local().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        }
        assertThat(client.peer().getPort()).isEqualTo(port);
        assertThat(accepted.local().getPort()).isEqualTo(port);
        assertThat(client.local().getPort()).isEqualTo((int) Fixtures.number("diag_smcd", "client_port"));
        // both ends of a loopback-ISM connection see each other's DMB token
        assertThat(client.smcd().orElseThrow().peerToken()).isEqualTo(accepted.smcd().orElseThrow().token());
        assertThat(client.smcd().orElseThrow().gidHex()).hasSize(32);
    }

    /** "" is the amd64 capture (little-endian), "s390x/" the IBM Z one (big-endian). */
    @ParameterizedTest
    @ValueSource(strings = {"", "s390x/"})
    void smcdOverIpv6(String kernel) throws Exception {
        String f = kernel + "diag_smcd_v6";
        List<SmcSocketInfo> all = decode(f);
        SmcSocketInfo client = byInode(all, f, "client_inode");
        assertThat(client.mode()).isEqualTo(ConnectionMode.SMCD);
        assertThat(client.local().getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(client.local().getAddress().isLoopbackAddress()).isTrue();
        assertThat(client.peer().getPort()).isEqualTo((int) Fixtures.number(f, "port"));
    }

    @Test
    void withoutUeidTheServerDeclinesNoueidAndTheClientReportsPeerDecline() throws Exception {
        List<SmcSocketInfo> all = decode("diag_noueid");
        SmcSocketInfo server = byInode(all, "diag_noueid", "accepted_inode");
        SmcSocketInfo client = byInode(all, "diag_noueid", "client_inode");
        assertThat(server.mode()).isEqualTo(ConnectionMode.FALLBACK_TCP);
        assertThat(server.fallbackReason().code()).isEqualTo((int) Fixtures.number("diag_noueid", "server_reason"));
        assertThat(server.fallbackReason().name()).isEqualTo("NOUEID");
        assertThat(client.mode()).isEqualTo(ConnectionMode.FALLBACK_TCP);
        assertThat(client.fallbackReason()).isEqualTo(FallbackReason.PEERDECL);
        assertThat(client.peerDiagnosis()).isEqualTo(FallbackReason.NOUEID);
        assertThat(server.smcd()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s390x/"})
    void plainTcpPeerIsPeerNoSmc(String kernel) throws Exception {
        String f = kernel + "diag_peernosmc";
        List<SmcSocketInfo> all = decode(f);
        SmcSocketInfo server = byInode(all, f, "accepted_inode");
        assertThat(server.mode()).isEqualTo(ConnectionMode.FALLBACK_TCP);
        assertThat(server.fallbackReason().code()).isEqualTo((int) Fixtures.number(f, "server_reason"));
        assertThat(server.fallbackReason().toString()).isEqualTo("0x03010000 PEERNOSMC (peer did not indicate SMC)");
        assertThat(server.smcd()).isEmpty();
        // the TCP client is not an SMC socket: smc_diag does not list it
        assertThat(all).allSatisfy(s -> assertThat(s.local().getPort() == (int) Fixtures.number(f, "client_port")
                && !s.isListener()).isFalse());
    }

    @Test
    void listenerIsListedWithItsPort() throws Exception {
        List<SmcSocketInfo> all = decode("diag_noueid");
        SmcSocketInfo listener = byInode(all, "diag_noueid", "listen_inode");
        assertThat(listener.isListener()).isTrue();
        assertThat(listener.local().getPort()).isEqualTo((int) Fixtures.number("diag_noueid", "port"));
    }

    @Test
    void requestAsksForAllExtensions() {
        byte[] req = SmcDiagCodec.request();
        assertThat(req).hasSize(52);
        assertThat(req[0]).isEqualTo((byte) 43);
        assertThat(req[3]).isEqualTo((byte) 0x0f);
    }

    @Test
    void truncatedMessageIsRejectedNotGuessed() {
        byte[] full = Fixtures.bytes("diag_smcd");
        byte[] payload = NlMsg.decodeAll(full).getFirst().payload();
        byte[] cut = java.util.Arrays.copyOf(payload, 40);
        assertThatThrownBy(() -> SmcDiagCodec.decode(cut)).hasMessageContaining("too short");
        byte[] badAttr = payload.clone();
        badAttr[64] = (byte) 0xff; // first attribute claims 255 bytes
        badAttr[65] = 0;
        assertThatThrownBy(() -> SmcDiagCodec.decode(badAttr)).hasMessageContaining("malformed netlink attribute");
    }

    @Test
    void unknownModeFails() {
        assertThatThrownBy(() -> ConnectionMode.of(7)).hasMessageContaining("unknown smc_diag mode 7");
        assertThat(ConnectionMode.of(2)).isEqualTo(ConnectionMode.SMCD);
        assertThat(ConnectionMode.SMCR.code()).isZero();
    }
}
