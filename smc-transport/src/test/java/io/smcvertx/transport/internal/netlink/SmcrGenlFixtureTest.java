package io.smcvertx.transport.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.transport.system.SmcDevice;
import io.smcvertx.transport.system.SmcrLink;
import io.smcvertx.transport.system.SmcrLinkGroup;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SMC-R generic-netlink replies captured in the two-guest leg while the Vert.x connection was up:
 * link groups (GET_LGR_SMCR), links (GET_LINK_SMCR), devices (GET_DEV_SMCR) of both guests, and
 * ethtool's pause reply for virtio_net.
 */
class SmcrGenlFixtureTest {

    private static List<NlMsg> reply(String name) throws Exception {
        return Fixtures.reply(name, true, Fixtures::plain);
    }

    @Test
    void linkGroupsAndLinksOfBothEnds() throws Exception {
        SmcrLinkGroup client = SmcGenlCodec.smcrLinkGroups(reply("smcr/smcr_gen_link_client")).getFirst();
        SmcrLinkGroup server = SmcGenlCodec.smcrLinkGroups(reply("smcr/smcr_gen_link_server")).getFirst();
        assertThat(client.role()).isEqualTo("CLNT");
        assertThat(server.role()).isEqualTo("SERV");
        for (SmcrLinkGroup g : List.of(client, server)) {
            assertThat(g.connections()).isGreaterThanOrEqualTo(1);
            assertThat(g.v2()).as("rxe has only RoCE v2 GIDs: SMC-Rv2").isPresent();
            assertThat(g.v2().orElseThrow().negotiatedEid()).isEqualTo("SMCVERTX-LAB");
            assertThat(g.links()).isNotEmpty();
            SmcrLink l = g.links().getFirst();
            assertThat(l.ibDevice()).isEqualTo(Fixtures.meta("smcr/smcr_gen_link_client").contains("\"rxe0\"") ? "rxe0" : "?");
            assertThat(l.ibPort()).isEqualTo(1);
        }
        // each end's GID is the other's peer GID
        assertThat(client.links().getFirst().gid()).isEqualTo(server.links().getFirst().peerGid());
        assertThat(server.links().getFirst().gid()).isEqualTo(client.links().getFirst().peerGid());
        assertThat(client.v2().orElseThrow().peerHost()).isNotEmpty();
        // the group dump alone has the same groups, without links
        List<SmcrLinkGroup> groups = SmcGenlCodec.smcrLinkGroups(reply("smcr/smcr_gen_lgr_client"));
        assertThat(groups).extracting(SmcrLinkGroup::id).contains(client.id());
        assertThat(groups).allSatisfy(g -> assertThat(g.links()).isEmpty());
    }

    @Test
    void theRxeDeviceWithItsPort() throws Exception {
        for (String side : List.of("client", "server")) {
            List<SmcDevice> devs = SmcGenlCodec.devices(reply("smcr/smcr_gen_dev_" + side), SmcDevice.Type.SMCR);
            SmcDevice rxe = devs.stream().filter(d -> d.name().equals("rxe0")).findFirst().orElseThrow();
            assertThat(rxe.ports()).isNotEmpty();
            assertThat(rxe.ports().getFirst().port()).isEqualTo(1);
            assertThat(rxe.ports().getFirst().netdevIfindex()).as("eth0's ifindex").isGreaterThan(0);
            assertThat(rxe.ports().getFirst().valid()).isTrue();
            assertThat(rxe.ports().getFirst().pnetId()).as("no PNET table in the leg").isEmpty();
        }
    }

    @Test
    void virtioHasNoPauseSettings() {
        assertThat(Fixtures.meta("smcr/ethtool_pause_eth0_client")).contains("\"virtio_net\"");
        assertThatThrownBy(() -> Fixtures.reply("smcr/ethtool_pause_eth0_client", false,
                (errno, extack) -> new NetlinkException("pause", errno, extack, null)))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno())
                        .isEqualTo((int) Fixtures.number("smcr/ethtool_pause_eth0_client", "errno")));
    }
}
