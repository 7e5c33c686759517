package io.smcvertx.vertx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.SmcMode;
import io.smcvertx.vertx.internal.HandlerBinder;
import io.smcvertx.vertx.internal.Handlers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad config is refused with its field named; the shipped example is accepted. */
class NodeOptionsTest {

    private static final HandlerBinder HANDLERS = Handlers.binder();

    static JsonObject good() {
        return new JsonObject()
                .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 9400))
                .put("hazelcast", new JsonObject().put("enabled", true).put("port", 5701))
                .put("listeners", new JsonArray()
                        .add(new JsonObject().put("name", "web").put("protocol", "http").put("host", "127.0.0.1").put("port", 8080)
                                .put("handler", new JsonObject().put("name", "http")))
                        .add(new JsonObject().put("name", "echo").put("protocol", "tcp").put("host", "127.0.0.1").put("port", 7007)
                                .put("handler", new JsonObject().put("name", "echo"))));
    }

    private static Arguments bad(String expected, Consumer<JsonObject> edit) {
        return Arguments.of(expected, edit);
    }

    private static JsonObject listener(JsonObject c, int i) {
        return c.getJsonArray("listeners").getJsonObject(i);
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                bad("`listeners[1].port` must be between 1 and 65535, got: 70000", c -> listener(c, 1).put("port", 70000)),
                bad("`listeners[0].port` must be between 1 and 65535, got: 0", c -> listener(c, 0).put("port", 0)),
                bad("`listeners[1].port` must be an integer, got: 7007x", c -> listener(c, 1).put("port", "7007x")),
                bad("`listeners[0].port` must be set", c -> listener(c, 0).remove("port")),
                bad("`listeners[0].protocol` must be one of \"tcp\", \"http\", got: udp", c -> listener(c, 0).put("protocol", "udp")),
                bad("`listeners[1].host` must be an IP address literal, got: localhost", c -> listener(c, 1).put("host", "localhost")),
                bad("`listeners[1].handler` must be set", c -> listener(c, 1).remove("handler")),
                bad("`listeners[1].handler.name` names no tcp handler: \"nope\"", c -> listener(c, 1).put("handler", new JsonObject().put("name", "nope"))),
                bad("`listeners[1].handler.name` names no tcp handler: \"http\"", c -> listener(c, 1).put("handler", new JsonObject().put("name", "http"))),
                bad("`listeners[0].instances` must be between 1 and 1024, got: 0", c -> listener(c, 0).put("instances", 0)),
                bad("`listeners[0].tls.keyStore` must be set", c -> listener(c, 0).put("tls", new JsonObject().put("keyStorePassword", "x"))),
                bad("`listeners[0].tls.handshakeTimeoutSeconds` must be between 1 and 3600", c -> listener(c, 0).put("tls",
                        new JsonObject().put("keyStore", "k.p12").put("keyStorePassword", "x").put("handshakeTimeoutSeconds", -1))),
                bad("`listeners[0].smc` must be one of \"smc\", \"tcp\", got: maybe", c -> listener(c, 0).put("smc", "maybe")),
                bad("`listeners[0].prot` is not a known field", c -> listener(c, 0).put("prot", "http")),
                bad("`listeners[1].port` uses port 8080, already used by `listeners[0].port`", c -> listener(c, 1).put("port", 8080)),
                bad("`listeners[0].port` uses port 9400, already used by `admin.port`", c -> listener(c, 0).put("port", 9400)),
                bad("`listeners[1].port` uses port 5701, already used by `hazelcast.port`", c -> listener(c, 1).put("port", 5701)),
                bad("`listeners[2]` must be an object, got: 42", c -> c.getJsonArray("listeners").add(42)),
                bad("`listeners` must be an array", c -> c.put("listeners", new JsonObject())),
                bad("`admin` must be set", c -> c.remove("admin")),
                bad("`admin.port` must be between 1 and 65535, got: -5", c -> c.getJsonObject("admin").put("port", -5)),
                bad("`admin.host` must be an IP address literal, got: example.org", c -> c.getJsonObject("admin").put("host", "example.org")),
                bad("`hazelcast.eventBusPort` must be set", c -> c.getJsonObject("hazelcast").put("clustered", true)),
                bad("`hazelcast.clustered` needs `hazelcast.enabled` true", c -> c.getJsonObject("hazelcast").put("enabled", false).put("clustered", true).put("eventBusPort", 5800)),
                bad("`hazelcast.members[0]` must be an IP address with optional :port", c -> c.getJsonObject("hazelcast").put("members", new JsonArray().add("db.example.org"))),
                bad("`hazelcast.interface` must be an IP address literal, got: eth0", c -> c.getJsonObject("hazelcast").put("interface", "eth0")),
                bad("`hazelcast.interface` must be an IPv4 address", c -> c.getJsonObject("hazelcast").put("interface", "::1")),
                bad("`hazelcast.interface` must be one address of this machine, not a wildcard", c -> c.getJsonObject("hazelcast").put("interface", "0.0.0.0")),
                bad("`hazelcast.interface` must be one address of this machine, not a wildcard", c -> c.getJsonObject("hazelcast").put("interface", "239.1.2.3")),
                bad("`hazelcast.interface` must be a non-blank string, got: 10", c -> c.getJsonObject("hazelcast").put("interface", 10)),
                bad("`smc.mode` must be one of \"required\", \"preferred\", \"disabled\", got: always", c -> c.put("smc", new JsonObject().put("mode", "always"))),
                bad("`smc.destinations[0].cidr` must be an address block like 10.0.0.0/8, got: 10.0.0.0", c -> c.put("smc", new JsonObject()
                        .put("destinations", new JsonArray().add(new JsonObject().put("cidr", "10.0.0.0").put("use", "tcp"))))),
                bad("`smc.destinations[0].use` must be set", c -> c.put("smc", new JsonObject()
                        .put("destinations", new JsonArray().add(new JsonObject().put("cidr", "10.0.0.0/8"))))),
                bad("`smc.listeners[0].port` must be between 0 and 65535, got: 65536", c -> c.put("smc", new JsonObject()
                        .put("listeners", new JsonArray().add(new JsonObject().put("port", 65536).put("use", "tcp"))))),
                bad("`shutdownSeconds` must be between 0 and 3600, got: 99999", c -> c.put("shutdownSeconds", 99999)),
                bad("`listener` is not a known field", c -> c.put("listener", new JsonArray())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badConfigIsRefusedNamingTheField(String expected, Consumer<JsonObject> edit) {
        JsonObject c = good();
        edit.accept(c);
        assertThatThrownBy(() -> NodeOptions.fromJson(c, HANDLERS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(expected);
    }

    @Test
    void handlerOptionsAreCheckedBeforeAnythingBinds() {
        JsonObject c = good();
        listener(c, 1).put("handler", new JsonObject().put("name", "relay").put("port", 9));
        NodeOptions o = NodeOptions.fromJson(c, HANDLERS);
        assertThatThrownBy(() -> SmcNode.checkHandlers(o, HANDLERS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("`listeners[1].handler.host`");
    }

    @Test
    void theShippedExampleIsValidAndUsesOnlyLoopback() throws Exception {
        Path example = Path.of("../deploy/examples/node.json");
        NodeOptions o = NodeOptions.fromJson(new JsonObject(Files.readString(example)), HANDLERS);
        assertThat(o.adminHost()).isEqualTo("127.0.0.1");
        assertThat(o.listeners()).extracting(l -> l.handlerName()).containsExactly("http", "echo");
        assertThat(o.listeners()).allSatisfy(l -> assertThat(l.host()).isEqualTo("127.0.0.1"));
        assertThat(o.hazelcast().enabled()).isTrue();
        assertThat(o.hazelcast().members()).containsExactly("127.0.0.1");
        assertThat(o.hazelcast().interfaceAddress()).isEqualTo("127.0.0.1");
        SmcNode.checkHandlers(o, HANDLERS);
    }

    @Test
    void hazelcastAndTheEventBusStayOnLoopbackUnlessAnInterfaceIsNamed() {
        NodeOptions loopback = NodeOptions.fromJson(good(), HANDLERS);
        assertThat(loopback.hazelcast().interfaceAddress()).isEqualTo("127.0.0.1");
        assertThat(EmbeddedHazelcast.config(loopback.hazelcast()).getNetworkConfig().getInterfaces().getInterfaces())
                .containsExactly("127.0.0.1");

        JsonObject c = good();
        c.getJsonObject("hazelcast").put("interface", "10.1.2.3").put("clustered", true).put("eventBusPort", 5800);
        NodeOptions o = NodeOptions.fromJson(c, HANDLERS);
        assertThat(o.hazelcast().interfaceAddress()).isEqualTo("10.1.2.3");
        assertThat(o.hazelcast().members()).containsExactly("10.1.2.3");
        var network = EmbeddedHazelcast.config(o.hazelcast()).getNetworkConfig();
        assertThat(network.getInterfaces().isEnabled()).isTrue();
        assertThat(network.getInterfaces().getInterfaces()).containsExactly("10.1.2.3");
        assertThat(EmbeddedHazelcast.config(o.hazelcast()).getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
        assertThat(SmcNode.eventBusOptions(o).getHost()).isEqualTo("10.1.2.3");
        assertThat(SmcNode.eventBusOptions(o).getPort()).isEqualTo(5800);
    }

    @Test
    void listenerSmcRulesJoinThePolicyAheadOfTheSmcSection() {
        JsonObject c = good();
        listener(c, 1).put("smc", "tcp");
        c.put("smc", new JsonObject().put("mode", "required")
                .put("listeners", new JsonArray().add(new JsonObject().put("port", 7007).put("use", "smc")))
                .put("destinations", new JsonArray().add(new JsonObject().put("cidr", "10.0.0.0/8").put("use", "tcp"))));
        SmcPolicy p = NodeOptions.fromJson(c, HANDLERS).policy();
        assertThat(p.mode()).isEqualTo(SmcMode.REQUIRED);
        assertThat(p.forListener(new InetSocketAddress("127.0.0.1", 7007))).isEqualTo(SmcPolicy.Use.TCP);
        assertThat(p.forListener(new InetSocketAddress("127.0.0.1", 8080))).isEqualTo(SmcPolicy.Use.SMC);
        assertThat(p.forDestination(new InetSocketAddress("10.9.9.9", 80))).isEqualTo(SmcPolicy.Use.TCP);
    }
}
