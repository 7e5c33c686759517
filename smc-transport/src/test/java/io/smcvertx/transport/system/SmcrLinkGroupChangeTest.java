package io.smcvertx.transport.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.transport.system.SmcrLinkGroupChange.Kind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two link group dumps compared: what the kernel did between them, and nothing when it did nothing. */
class SmcrLinkGroupChangeTest {

    private static SmcrLink link(int id, int conns, int state) {
        return new SmcrLink(id, "rxe0", 1, "fe80::1", "fe80::2", conns, 2, 0x101, 0x201, state);
    }

    private static SmcrLinkGroup group(long id, int type, int conns, SmcrLink... links) {
        return new SmcrLinkGroup(id, "CLNT", type, Optional.empty(), 0, conns, Optional.empty(), List.of(links));
    }

    @Test
    void sameDumpTwiceIsNoChange() {
        List<SmcrLinkGroup> dump = List.of(group(0x100, 1, 1, link(1, 1, 3)));
        assertThat(SmcrLinkGroupChange.between(dump, List.of(group(0x100, 1, 1, link(1, 1, 3))))).isEmpty();
        assertThat(SmcrLinkGroupChange.between(List.of(), List.of())).isEmpty();
    }

    @Test
    void terminatedGroupAndItsSuccessor() {
        List<SmcrLinkGroupChange> c = SmcrLinkGroupChange.between(List.of(group(0x100, 1, 1, link(1, 1, 3))),
                List.of(group(0x200, 1, 0, link(1, 0, 3))));
        assertThat(c).extracting(SmcrLinkGroupChange::kind).containsExactly(Kind.GROUP_REMOVED, Kind.GROUP_ADDED);
        assertThat(c.get(0).linkGroupId()).isEqualTo(0x100);
        assertThat(c.get(0).text()).isEqualTo("lg 00000100 (CLNT) removed: it had 1 connection(s) and 1 link(s)");
        assertThat(c.get(1).text()).isEqualTo("lg 00000200 (CLNT) added: SINGLE, 0 connection(s), 1 link(s)");
    }

    @Test
    void linkChangesInsideOneGroup() {
        List<SmcrLinkGroupChange> c = SmcrLinkGroupChange.between(
                List.of(group(0x100, 2, 2, link(1, 1, 3), link(2, 1, 3))),
                List.of(group(0x100, 1, 2, link(2, 2, 2), link(3, 0, 3))));
        assertThat(c).extracting(SmcrLinkGroupChange::kind).containsExactly(Kind.GROUP_CHANGED, Kind.LINK_REMOVED,
                Kind.LINK_CHANGED, Kind.LINK_ADDED);
        assertThat(c.get(0).text()).isEqualTo("lg 00000100 (CLNT): SYMMETRIC -> SINGLE, connections 2 -> 2");
        assertThat(c.get(1).linkId()).isEqualTo(1);
        assertThat(c.get(2).text()).isEqualTo("lg 00000100 link 2 (rxe0/1): ACTIVE -> ACTIVATING, connections 1 -> 2");
        assertThat(c.get(3).text()).isEqualTo("lg 00000100 link 3 (rxe0/1) added: ACTIVE");
    }

    @Test
    void aConnectionThatClosedIsAChangeOfCountsOnly() {
        List<SmcrLinkGroupChange> c = SmcrLinkGroupChange.between(List.of(group(0x300, 1, 1, link(1, 1, 3))),
                List.of(group(0x300, 1, 0, link(1, 0, 3))));
        assertThat(c).extracting(SmcrLinkGroupChange::text).containsExactly(
                "lg 00000300 (CLNT): SINGLE, connections 1 -> 0", "lg 00000300 link 1 (rxe0/1): ACTIVE, connections 1 -> 0");
    }

    @Test
    void namesTheNullArgument() {
        assertThatThrownBy(() -> SmcrLinkGroupChange.between(null, List.of())).hasMessageContaining("`before`");
        assertThat(SmcrLinkGroupChange.linkStateName(7)).isEqualTo("state 7");
    }
}
