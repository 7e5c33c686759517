package io.smcvertx.vertx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.vertx.internal.Handlers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The node's {@code clusterConfig} section: off by default, every bad field named. */
class ClusterConfigSettingsTest {

    static JsonObject withSection(JsonObject section) {
        return NodeOptionsTest.good().put("clusterConfig", section);
    }

    static JsonObject section() {
        return new JsonObject().put("enabled", true).put("host", "db-7")
                .put("labels", new JsonObject().put("zone", "a").put("role", "db"))
                .put("trustedKeys", new JsonArray().add("/etc/smc-vertx/operator.pub"))
                .put("stateFile", "/var/lib/smc-vertx/fleet.revision")
                .put("recheckSeconds", 10);
    }

    @Test
    void absentMeansOff() {
        NodeOptions o = NodeOptions.fromJson(NodeOptionsTest.good(), Handlers.binder());
        assertThat(o.clusterConfig().enabled()).isFalse();
    }

    @Test
    void aFullSectionIsRead() {
        ClusterConfigSettings s = NodeOptions.fromJson(withSection(section()), Handlers.binder()).clusterConfig();
        assertThat(s.enabled()).isTrue();
        assertThat(s.host().name()).isEqualTo("db-7");
        assertThat(s.host().labels()).isEqualTo(Map.of("zone", "a", "role", "db"));
        assertThat(s.trustedKeys()).containsExactly(Path.of("/etc/smc-vertx/operator.pub"));
        assertThat(s.stateFile()).isEqualTo(Optional.of(Path.of("/var/lib/smc-vertx/fleet.revision")));
        assertThat(s.recheckSeconds()).isEqualTo(10);
    }

    @Test
    void theHostNameDefaultsToTheKernels() throws Exception {
        JsonObject sec = section();
        sec.remove("host");
        ClusterConfigSettings s = NodeOptions.fromJson(withSection(sec), Handlers.binder()).clusterConfig();
        assertThat(s.host().name()).isEqualTo(
                java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
    }

    static Stream<Arguments> badSections() {
        return Stream.of(
                Arguments.of("`clusterConfig.trustedKeys` must name at least one operator public key file",
                        (Consumer<JsonObject>) s -> s.remove("trustedKeys")),
                Arguments.of("`clusterConfig.trustedKeys[0]` must be a public key file name, got: 7",
                        (Consumer<JsonObject>) s -> s.put("trustedKeys", new JsonArray().add(7))),
                Arguments.of("`clusterConfig.host` may hold only A-Z",
                        (Consumer<JsonObject>) s -> s.put("host", "db 7")),
                Arguments.of("`clusterConfig.labels` \"zone\" may hold only",
                        (Consumer<JsonObject>) s -> s.put("labels", new JsonObject().put("zone", "a b"))),
                Arguments.of("`clusterConfig.labels.zone` must be a string, got: 3",
                        (Consumer<JsonObject>) s -> s.put("labels", new JsonObject().put("zone", 3))),
                Arguments.of("`clusterConfig.recheckSeconds` must be between 1 and 86400, got: 0",
                        (Consumer<JsonObject>) s -> s.put("recheckSeconds", 0)),
                Arguments.of("`clusterConfig.stateFile` must be a non-blank string",
                        (Consumer<JsonObject>) s -> s.put("stateFile", " ")),
                Arguments.of("`clusterConfig.enabled` must be true or false",
                        (Consumer<JsonObject>) s -> s.put("enabled", "yes")),
                Arguments.of("`clusterConfig.interval` is not a known field",
                        (Consumer<JsonObject>) s -> s.put("interval", 5)));
    }

    @ParameterizedTest
    @MethodSource("badSections")
    void aBadSectionIsRefusedNamingTheField(String expected, Consumer<JsonObject> edit) {
        JsonObject sec = section();
        edit.accept(sec);
        assertThatThrownBy(() -> NodeOptions.fromJson(withSection(sec), Handlers.binder()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(expected);
    }

    @Test
    void itNeedsTheNodesHazelcastMember() {
        JsonObject c = withSection(section());
        c.getJsonObject("hazelcast").put("enabled", false);
        assertThatThrownBy(() -> NodeOptions.fromJson(c, Handlers.binder()))
                .hasMessageContaining("`clusterConfig.enabled` needs `hazelcast.enabled` true");
    }

    @Test
    void aDisabledSectionNeedsNoKeys() {
        NodeOptions o = NodeOptions.fromJson(withSection(new JsonObject().put("enabled", false)), Handlers.binder());
        assertThat(o.clusterConfig().enabled()).isFalse();
    }
}
