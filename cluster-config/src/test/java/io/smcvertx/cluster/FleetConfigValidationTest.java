package io.smcvertx.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed configurations, each refused as a whole with the offending field named. */
class FleetConfigValidationTest {

    /** {@code json} uses single quotes for readability. */
    private static Arguments bad(String json, String field, String messagePart) {
        return Arguments.of(json.replace('\'', '"'), field, messagePart);
    }

    private static String u(int n) {
        List<String> l = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            l.add("'U" + i + "'");
        }
        return String.join(",", l);
    }

    static Stream<Arguments> malformed() {
        String longId = "N".repeat(17);
        return Stream.of(
                // 1-8: the document and its revision
                bad("", "$", "is empty"),
                bad("[]", "$", "JSON object"),
                bad("{'revision': 1", "$", "not valid JSON"),
                bad("{'revision': 1} {}", "$", "not valid JSON"),
                bad("{'pnet': []}", "revision", "required"),
                bad("{'revision': 0}", "revision", "at least 1"),
                bad("{'revision': -3}", "revision", "at least 1"),
                bad("{'revision': 'one'}", "revision", "whole number"),
                // 9-12: top-level fields
                bad("{'revision': 1.5}", "revision", "whole number"),
                bad("{'revision': 1, 'pnets': []}", "pnets", "not a known field"),
                bad("{'revision': 1, 'revision': 2}", "$", "Duplicate field"),
                bad("{'revision': 1, 'comment': 7}", "comment", "string"),
                // 13-30: PNET entries
                bad("{'revision': 1, 'pnet': {}}", "pnet", "array"),
                bad("{'revision': 1, 'pnet': ['NET1']}", "pnet[0]", "object"),
                bad("{'revision': 1, 'pnet': [{'ethName': 'eth0'}]}", "pnet[0].pnetId", "required"),
                bad("{'revision': 1, 'pnet': [{'pnetId': '', 'ethName': 'eth0'}]}", "pnet[0].pnetId", "empty"),
                bad("{'revision': 1, 'pnet': [{'pnetId': '" + longId + "', 'ethName': 'eth0'}]}", "pnet[0].pnetId",
                        "at most 16"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET-1', 'ethName': 'eth0'}]}", "pnet[0].pnetId", "A-Z and 0-9"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 5, 'ethName': 'eth0'}]}", "pnet[0].pnetId", "string"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1'}]}", "pnet[0]", "`ethName` or `deviceName`"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'eth0'}, {'pnetId': 'NET2', 'ethName': ''}]}",
                        "pnet[1].ethName", "empty"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'averyveryverylongname0'}]}",
                        "pnet[0].ethName", "at most 15"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'eth 0'}]}", "pnet[0].ethName", "invalid character"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'eth/0'}]}", "pnet[0].ethName", "invalid character"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'deviceName': 'mlx5_0', 'devicePort': 3}]}",
                        "pnet[0].devicePort", "1 or 2"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'deviceName': 'mlx5_0', 'devicePort': 'one'}]}",
                        "pnet[0].devicePort", "1 or 2"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'eth0', 'devicePort': 1}]}",
                        "pnet[0].devicePort", "without `deviceName`"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'deviceName': '" + "d".repeat(64) + "'}]}",
                        "pnet[0].deviceName", "at most 63"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'eth0', 'port': 1}]}", "pnet[0].port",
                        "not a known field"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'eth0'}, {'pnetId': 'NET2', 'ethName': 'eth0'}]}",
                        "pnet[1].ethName", "already has PNET ID NET1"),
                // 31-38: selectors
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'eth0', 'hosts': 'a'}]}", "pnet[0].hosts",
                        "object"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'eth0', 'hosts': {'names': 'a'}}]}",
                        "pnet[0].hosts.names", "array"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'eth0', 'hosts': {'names': []}}]}",
                        "pnet[0].hosts.names", "not be empty"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'eth0', 'hosts': {'names': ['a b']}}]}",
                        "pnet[0].hosts.names[0]", "may hold only"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'eth0', 'hosts': {'names': [3]}}]}",
                        "pnet[0].hosts.names[0]", "string"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'eth0', 'hosts': {'labels': {'zone': 1}}}]}",
                        "pnet[0].hosts.labels[\\'zone\\']", "string"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'eth0', 'hosts': {'labels': {'zo ne': 'a'}}}]}",
                        "pnet[0].hosts.labels[\\'zo ne\\']", "may hold only"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'eth0', 'hosts': {'name': ['a']}}]}",
                        "pnet[0].hosts.name", "not a known field"),
                // 39-41: conflicts that show only on hosts matched by several rules
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'eth0', 'hosts': {'labels': {'zone': 'a'}}},"
                        + " {'pnetId': 'NET2', 'ethName': 'eth0', 'hosts': {'labels': {'role': 'db'}}}]}",
                        "pnet[1].ethName", "zone=a"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'ethName': 'eth0', 'hosts': {'names': ['h1', 'h2']}},"
                        + " {'pnetId': 'NET2', 'ethName': 'eth0', 'hosts': {'names': ['h2']}}]}",
                        "pnet[1].ethName", "host h2"),
                bad("{'revision': 1, 'pnet': [{'pnetId': 'NET1', 'deviceName': 'mlx5_0'},"
                        + " {'pnetId': 'NET2', 'deviceName': 'mlx5_0', 'devicePort': 1}]}",
                        "pnet[1].deviceName", "mlx5_0 port 1"),
                // 42-48: UEIDs
                bad("{'revision': 1, 'ueids': 'A'}", "ueids", "array"),
                bad("{'revision': 1, 'ueids': ['.A']}", "ueids[0]", "start with"),
                bad("{'revision': 1, 'ueids': ['A..B']}", "ueids[0]", "two dots"),
                bad("{'revision': 1, 'ueids': ['A', 'B_C']}", "ueids[1]", "may hold only"),
                bad("{'revision': 1, 'ueids': ['" + "U".repeat(33) + "']}", "ueids[0]", "at most 32"),
                bad("{'revision': 1, 'ueids': [{'hosts': {'names': ['a']}}]}", "ueids[0].ueid", "required"),
                bad("{'revision': 1, 'ueids': [" + u(5) + "]}", "ueids[4]", "number 5"),
                bad("{'revision': 1, 'ueids': [" + u(3) + ", {'ueid': 'X1', 'hosts': {'labels': {'zone': 'a'}}},"
                        + " {'ueid': 'X2', 'hosts': {'names': ['h9']}}]}", "ueids[4]", "host h9 with labels {zone=a}"),
                bad("{'revision': 1, 'ueids': [7]}", "ueids[0]", "UEID string"),
                // 50-56: switches and sysctls
                bad("{'revision': 1, 'seidEnabled': 'yes'}", "seidEnabled", "true or false"),
                bad("{'revision': 1, 'handshakeLimitation': 1}", "handshakeLimitation", "true or false"),
                bad("{'revision': 1, 'sysctls': []}", "sysctls", "object"),
                bad("{'revision': 1, 'sysctls': {'net.ipv4.tcp_rmem': '1'}}", "sysctls[\\'net.ipv4.tcp_rmem\\']",
                        "net.smc.*"),
                bad("{'revision': 1, 'sysctls': {'net.smc.wmem': ''}}", "sysctls[\\'net.smc.wmem\\']", "empty"),
                bad("{'revision': 1, 'sysctls': {'net.smc.wmem': true}}", "sysctls[\\'net.smc.wmem\\']", "string or"),
                bad("{'revision': 1, 'sysctls': {'net.smc.wmem': '1;reboot'}}", "sysctls[\\'net.smc.wmem\\']",
                        "may hold only"),
                bad("{'revision': 1, 'sysctls': {'net.smc.limit_smc_hs': '1'}}", "sysctls[\\'net.smc.limit_smc_hs\\']",
                        "handshakeLimitation"),
                bad("{'revision': 1, 'sysctls': {'net.smc.Wmem': '1'}}", "sysctls[\\'net.smc.Wmem\\']", "a-z"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("malformed")
    void refusedWithTheFieldNamed(String json, String field, String messagePart) {
        String expectedField = field.replace("\\'", "\"");
        assertThatThrownBy(() -> FleetConfigJson.parse(json))
                .isInstanceOfSatisfying(ConfigValidationException.class, e -> {
                    assertThat(e.errors()).extracting(FieldError::field).contains(expectedField);
                    FieldError err = e.errors().stream().filter(x -> x.field().equals(expectedField)).findFirst()
                            .orElseThrow();
                    assertThat(err.message()).contains(messagePart);
                    assertThat(e.getMessage()).contains("`" + expectedField + "`");
                });
    }

    @Test
    void atLeastFiftyCases() {
        assertThat(malformed().count()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void everyErrorOfOneDocumentIsReported() {
        String json = "{'revision': 0, 'pnet': [{'pnetId': 'bad-id', 'ethName': ''}], 'ueids': ['..'], 'x': 1}"
                .replace('\'', '"');
        assertThatThrownBy(() -> FleetConfigJson.parse(json))
                .isInstanceOfSatisfying(ConfigValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactlyInAnyOrder("x", "revision", "pnet[0].pnetId", "pnet[0].ethName", "ueids[0]"));
    }

    @Test
    void disjointSelectorsMayGiveOneInterfaceDifferentIds() {
        String json = ("{'revision': 1, 'pnet': ["
                + "{'pnetId': 'NET1', 'ethName': 'eth0', 'hosts': {'labels': {'zone': 'a'}}},"
                + "{'pnetId': 'NET2', 'ethName': 'eth0', 'hosts': {'labels': {'zone': 'b'}}},"
                + "{'pnetId': 'NET3', 'ethName': 'eth0', 'hosts': {'names': ['h1']}, 'comment': 'x'}]}")
                .replace('\'', '"');
        // the third rule has an unknown field and overlaps both: both are reported
        assertThatThrownBy(() -> FleetConfigJson.parse(json))
                .isInstanceOfSatisfying(ConfigValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("pnet[2].comment"));
        FleetConfig ok = FleetConfigJson.parse(json.replace(", \"comment\": \"x\"", "")
                .replace("{\"names\": [\"h1\"]}", "{\"names\": [\"h1\"], \"labels\": {\"zone\": \"c\"}}"));
        assertThat(ok.pnet()).hasSize(3);
    }

    @Test
    void fourUeidsPerHostAreFineEvenWhenTheFleetHasMore() {
        String json = ("{'revision': 1, 'ueids': ['A', 'B', 'C', {'ueid': 'D1', 'hosts': {'names': ['h1']}},"
                + " {'ueid': 'D2', 'hosts': {'names': ['h2']}}]}").replace('\'', '"');
        FleetConfig c = FleetConfigJson.parse(json);
        assertThat(c.sliceFor(HostIdentity.of("h1")).ueids()).hasSize(4);
        assertThat(c.sliceFor(HostIdentity.of("h3")).ueids()).hasSize(3);
    }
}
