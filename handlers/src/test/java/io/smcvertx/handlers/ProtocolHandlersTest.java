package io.smcvertx.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.handlers.spi.ProtocolHandlerFactory;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolHandlersTest {

    @Test
    void builtInsAreFoundByName() {
        ProtocolHandlers handlers = ProtocolHandlers.load();
        assertThat(handlers.tcpNames()).contains("echo", "kv", "relay");
        assertThat(handlers.httpNames()).contains("http");
        assertThat(handlers.factory("echo").name()).isEqualTo("echo");
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> ProtocolHandlers.load().create(HandlerConfig.of("ecko")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown handler `ecko`")
                .hasMessageContaining("echo, kv, relay")
                .hasMessageContaining("known HTTP handlers: http");
    }

    @Test
    void aTcpNameOnAnHttpListenerAndBackSayWhichKindItIs() {
        assertThatThrownBy(() -> ProtocolHandlers.load().factory("http")).hasMessageContaining("is an HTTP handler");
        assertThatThrownBy(() -> ProtocolHandlers.load().httpFactory("echo")).hasMessageContaining("is a TCP handler");
    }

    @Test
    void duplicateNamesAreRefused() {
        ProtocolHandlerFactory a = new NamedFactory("same");
        ProtocolHandlerFactory b = new NamedFactory("same");
        assertThatThrownBy(() -> ProtocolHandlers.of(List.of(a, b), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two handler factories are named `same`");
    }

    @Test
    void handlerConfigNeedsANameAndKeepsTheOptions() {
        assertThatThrownBy(() -> HandlerConfig.fromJson(new JsonObject().put("port", 1), null))
                .hasMessageContaining("`handler.name` must be a non-blank string");
        HandlerConfig c = HandlerConfig.fromJson(new JsonObject().put("name", "relay").put("port", 9000), null);
        assertThat(c.getInt("port", 0, 1, 65535)).isEqualTo(9000);
        assertThat(c.vertx()).isEmpty();
        assertThatThrownBy(c::requireVertx).hasMessageContaining("handler `relay` needs a Vert.x instance");
        assertThatThrownBy(() -> ProtocolHandlers.load().create(c)).hasMessageContaining("`handler.host` (handler `relay`) must be set");
    }

    private record NamedFactory(String name) implements ProtocolHandlerFactory {
        @Override
        public ProtocolHandler create(HandlerConfig config) {
            return (connection, input) -> input;
        }
    }
}
