package io.smcvertx.transport.diag;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.internal.netlink.Fixtures;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * smc_diag dumps with SMC_DIAG_LGRINFO captured in the two-guest SMC-R leg (both ends of a Vert.x
 * HTTP connection over Soft-RoCE), decoded here and compared with what the python reader in
 * capture_smcr.py decoded from the same bytes with struct.
 */
class SmcrDiagFixtureTest {

    /** (local port, ibdev, link id, ibport, role) of each SMCR socket python saw. */
    record Seen(int localPort, String ibdev, int linkId, int ibport, int role) {
    }

    static List<Seen> seen(String fixture) {
        Matcher m = Pattern.compile("\\{\\s*\"ibdev\": \"([^\"]+)\",\\s*\"ibport\": (\\d+),\\s*\"link_id\": (\\d+),"
                + "\\s*\"local_port\": (\\d+),\\s*\"peer_port\": \\d+,\\s*\"role\": (\\d+)\\s*}").matcher(Fixtures.meta(fixture));
        List<Seen> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(new Seen(Integer.parseInt(m.group(4)), m.group(1), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(2)), Integer.parseInt(m.group(5))));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"smcr/smcr_diag_client", "smcr/smcr_diag_server"})
    void smcrSocketsCarryTheirLinkAsPythonSawIt(String fixture) throws Exception {
        List<SmcSocketInfo> all = SmcDiagCodec.decodeAll(Fixtures.reply(fixture, true, Fixtures::plain));
        List<Seen> seen = seen(fixture);
        assertThat(seen).as("python saw SMCR sockets in " + fixture).isNotEmpty();
        assertThat(Fixtures.number(fixture, "smcr_count")).isEqualTo(seen.size());
        // a listener's diag_mode is 0 (SMCR) by default, with no link: only connections carry LGRINFO
        assertThat(all.stream().filter(SmcSocketInfo::isListener)).allSatisfy(l -> assertThat(l.smcr()).isEmpty());
        List<SmcSocketInfo> smcr = all.stream().filter(s -> s.mode() == ConnectionMode.SMCR && !s.isListener()).toList();
        assertThat(smcr).hasSize(seen.size());
        for (Seen s : seen) {
            SmcSocketInfo i = smcr.stream().filter(x -> x.local().getPort() == s.localPort()).findFirst().orElseThrow();
            SmcrLinkInfo link = i.smcr().orElseThrow();
            assertThat(link.ibDevice()).isEqualTo(s.ibdev()).isEqualTo("rxe0");
            assertThat(link.linkId()).isEqualTo(s.linkId());
            assertThat(link.ibPort()).isEqualTo(s.ibport());
            assertThat(link.role()).isEqualTo(s.role());
            assertThat(link.gid()).isNotEqualTo(link.peerGid());
            assertThat(i.smcd()).isEmpty();
            assertThat(i.fallbackReason().isNone()).isTrue();
            assertThat(i.sndBufSize()).isGreaterThan(0);
        }
        // the server end is the HTTP listener's accepted connection, the client end connects to it
        boolean server = fixture.endsWith("server");
        assertThat(smcr).anySatisfy(i -> assertThat(server ? i.local().getPort() : i.peer().getPort()).isEqualTo(8080));
    }
}
