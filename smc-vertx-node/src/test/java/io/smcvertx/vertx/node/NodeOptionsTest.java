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
                bad("`listener` is not a known field", c -> c.put("listener", new JsonArray())),
                // the admin endpoint never serves beyond loopback without a bearer token
                bad("`admin.tokenFile` must be set: `admin.host` 10.1.2.3 is beyond loopback", c -> c.getJsonObject("admin").put("host", "10.1.2.3")),
                bad("`admin.tokenFile` must be set: `admin.host` 0.0.0.0 is beyond loopback", c -> c.getJsonObject("admin").put("host", "0.0.0.0")),
                bad("`admin.tokenFile` must be set: `admin.host` 0:0:0:0:0:0:0:0 is beyond loopback", c -> c.getJsonObject("admin").put("host", "::")),
                bad("`admin.tokenFile` cannot be read", c -> c.getJsonObject("admin").put("tokenFile", "/nonexistent/admin.token")),
                bad("`admin.tls.keyStore` must be set", c -> c.getJsonObject("admin").put("tls", new JsonObject())),
                bad("`admin.user` is not a known field", c -> c.getJsonObject("admin").put("user", "root")),
                // client mode: nothing bound, members required
                bad("`hazelcast.mode` must be one of \"member\", \"client\", got: lite", c -> c.getJsonObject("hazelcast").put("mode", "lite")),
                bad("`hazelcast.port` applies to `hazelcast.mode` member only", c -> c.getJsonObject("hazelcast").put("mode", "client")),
                bad("`hazelcast.interface` applies to `hazelcast.mode` member only", c -> client(c).put("interface", "127.0.0.1")),
                bad("`hazelcast.clustered` applies to `hazelcast.mode` member only: a client binds nothing (Vert.x's Hazelcast cluster manager needs a member)",
                        c -> client(c).put("clustered", true)),
                bad("`hazelcast.members` must name at least one member to connect to", c -> client(c).remove("members")),
                bad("`hazelcast.connectTimeoutSeconds` applies to `hazelcast.mode` client only", c -> c.getJsonObject("hazelcast").put("connectTimeoutSeconds", 5)),
                bad("`hazelcast.connectTimeoutSeconds` must be between 1 and 3600, got: 0", c -> client(c).put("connectTimeoutSeconds", 0)),
                bad("`clusterConfig.hostEnrollment` must be set with `clusterConfig.hostKey`", c -> c.put("clusterConfig", new JsonObject()
                        .put("host", "h").put("trustedKeys", new JsonArray().add("op.pub")).put("hostKey", "host.key"))),
                bad("`clusterConfig.hostKey` must be set with `clusterConfig.hostEnrollment`", c -> c.put("clusterConfig", new JsonObject()
                        .put("host", "h").put("trustedKeys", new JsonArray().add("op.pub")).put("hostEnrollment", "h.enrollment"))));
    }

    /** The good config as a client of 127.0.0.1:5701 (a client binds no Hazelcast port). */
    private static JsonObject client(JsonObject c) {
        JsonObject hz = c.getJsonObject("hazelcast").put("mode", "client").put("members", new JsonArray().add("127.0.0.1:5701"));
        hz.remove("port");
        return hz;
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
    void theShippedClientExampleIsValid(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        JsonObject c = new JsonObject(Files.readString(Path.of("../deploy/examples/node-client.json")));
        // the example's token file is on a real host; here a stand-in with a token of the same kind
        c.getJsonObject("admin").put("tokenFile", Files.writeString(dir.resolve("admin.token"), "0123456789abcdef0123").toString());
        NodeOptions o = NodeOptions.fromJson(c, HANDLERS);
        assertThat(o.hazelcast().mode()).isEqualTo(NodeOptions.HazelcastMode.CLIENT);
        assertThat(o.hazelcast().members()).hasSize(3);
        assertThat(o.adminAccess().beyondLoopback()).isTrue();
        assertThat(o.adminAccess().tls()).isPresent();
        assertThat(o.clusterConfig().hostKey()).isPresent();
    }

    @Test
    void aClientNodeBindsNoHazelcastPort() {
        JsonObject c = good();
        client(c);
        listener(c, 1).put("port", 5701); // free: a client binds nothing
        NodeOptions o = NodeOptions.fromJson(c, HANDLERS);
        assertThat(o.hazelcast().mode()).isEqualTo(NodeOptions.HazelcastMode.CLIENT);
        assertThat(o.hazelcast().member()).isFalse();
        assertThat(o.hazelcast().members()).containsExactly("127.0.0.1:5701");
        assertThat(o.hazelcast().connectTimeoutSeconds()).isEqualTo(60);
        assertThat(NodeOptions.fromJson(good(), HANDLERS).hazelcast().mode()).isEqualTo(NodeOptions.HazelcastMode.MEMBER);
    }

    @Test
    void beyondLoopbackTheAdminEndpointNeedsAGoodTokenAndSaysHowItIsReached(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        JsonObject c = good();
        Path weak = Files.writeString(dir.resolve("weak.token"), "secret\n");
        c.getJsonObject("admin").put("host", "10.1.2.3").put("tokenFile", weak.toString());
        assertThatThrownBy(() -> NodeOptions.fromJson(c, HANDLERS))
                .hasMessageStartingWith("`admin.tokenFile` must hold one token of at least 16 printable characters");
        Path token = Files.writeString(dir.resolve("admin.token"), "k3Ju9vQ0n1mZr7TfYw2XcA==\n");
        c.getJsonObject("admin").put("tokenFile", token.toString());
        NodeOptions o = NodeOptions.fromJson(c, HANDLERS);
        AdminAccess a = o.adminAccess();
        assertThat(a.beyondLoopback()).isTrue();
        assertThat(a.token().orElseThrow().admits("Bearer k3Ju9vQ0n1mZr7TfYw2XcA==")).isTrue();
        assertThat(a.token().orElseThrow().admits("bearer k3Ju9vQ0n1mZr7TfYw2XcA==")).isTrue();
        assertThat(a.token().orElseThrow().admits("Bearer k3Ju9vQ0n1mZr7TfYw2XcA")).isFalse();
        assertThat(a.token().orElseThrow().admits("Basic k3Ju9vQ0n1mZr7TfYw2XcA==")).isFalse();
        assertThat(a.token().orElseThrow().admits(null)).isFalse();
        assertThat(a.describe()).startsWith("requires a bearer token").contains("clear text");
        assertThat(o.toString()).as("configs get logged: the token never shows").doesNotContain("k3Ju9vQ0n1mZr7TfYw2XcA");
        assertThat(NodeOptions.fromJson(good(), HANDLERS).adminAccess().describe()).startsWith("no authentication (loopback only");
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

    @Test
    void aRequiredNodeKeepsItsAdminEndpointOnPlainTcpUnlessTold() {
        InetSocketAddress admin = new InetSocketAddress("127.0.0.1", NodeOptions.fromJson(good(), HANDLERS).adminPort());
        assertThat(NodeOptions.fromJson(good(), HANDLERS).policy().forListener(admin))
                .as("preferred: the admin endpoint offers SMC like every listener").isEqualTo(SmcPolicy.Use.SMC);
        JsonObject required = good().put("smc", new JsonObject().put("mode", "required"));
        assertThat(NodeOptions.fromJson(required, HANDLERS).policy().forListener(admin))
                .as("required: Prometheus and curl have no SMC, so the endpoint listens on plain TCP").isEqualTo(SmcPolicy.Use.TCP);
        assertThat(NodeOptions.fromJson(required, HANDLERS).policy().forListener(new InetSocketAddress("127.0.0.1", 8080)))
                .as("the node's own listeners stay SMC-only").isEqualTo(SmcPolicy.Use.SMC);
        JsonObject told = good().put("smc", new JsonObject().put("mode", "required"));
        told.getJsonObject("admin").put("smc", "smc");
        assertThat(NodeOptions.fromJson(told, HANDLERS).policy().forListener(admin)).isEqualTo(SmcPolicy.Use.SMC);
        JsonObject bad = good();
        bad.getJsonObject("admin").put("smc", "always");
        assertThatThrownBy(() -> NodeOptions.fromJson(bad, HANDLERS)).hasMessageContaining("`admin.smc` must be one of");
    }
}
