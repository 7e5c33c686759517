package io.smcvertx.handlers.internal.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.ProtocolHandler;
import io.smcvertx.handlers.ProtocolHandlers;
import io.smcvertx.handlers.codec.FrameTooLargeException;
import io.smcvertx.handlers.testing.HandlerHarness;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class KvHandlerTest {

    private static ProtocolHandler kv(JsonObject options) {
        return ProtocolHandlers.load().create(HandlerConfig.fromJson(options.put("name", "kv"), null));
    }

    @Test
    void setGetDelOverSplitAndMergedReads() {
        HandlerHarness h = HandlerHarness.of(kv(new JsonObject()));
        h.pushUtf8("SET greeting hello world\r\nGET gree", "ting\nGET nope\n", "DEL greeting\nDEL greeting\nGET greeting\n");
        assertThat(h.utf8Out()).isEqualTo("OK\nVALUE hello world\nNOT_FOUND\nDELETED\nNOT_FOUND\nNOT_FOUND\n");
        h.complete().output().assertCompleted();
    }

    @Test
    void badCommandsGetAnErrorReplyAndTheConnectionStaysUp() {
        HandlerHarness h = HandlerHarness.of(kv(new JsonObject()));
        h.pushUtf8("PUT a b\nSET a\nGET\nGET a b\n\nSET a 1\nGET a\n");
        assertThat(h.utf8Out()).isEqualTo("""
                ERROR unknown command: PUT
                ERROR usage: SET key value
                ERROR usage: GET key
                ERROR usage: GET key
                ERROR unknown command:\s
                OK
                VALUE 1
                """);
        h.output().assertNotTerminated();
    }

    @Test
    void theStoreIsSharedByTheConnectionsOfOneListenerAndBounded() {
        ProtocolHandler handler = kv(new JsonObject().put("maxKeys", 1));
        HandlerHarness first = HandlerHarness.of(handler);
        HandlerHarness second = HandlerHarness.of(handler);
        first.pushUtf8("SET k v\nSET other v\n");
        second.pushUtf8("GET k\n");
        assertThat(first.utf8Out()).isEqualTo("OK\nERROR store full (`maxKeys` 1)\n");
        assertThat(second.utf8Out()).isEqualTo("VALUE v\n");
    }

    @Test
    void anOversizeLineClosesTheConnection() {
        HandlerHarness h = HandlerHarness.of(kv(new JsonObject().put("maxLineLength", 16)));
        h.pushUtf8("GET a\n", "SET k " + "v".repeat(20));
        h.output().assertFailedWith(FrameTooLargeException.class, "`maxLineLength` (16 bytes)");
        assertThat(h.utf8Out()).isEqualTo("NOT_FOUND\n");
    }

    @Test
    void badOptionsAreRejectedNamingTheField() {
        assertThatThrownBy(() -> kv(new JsonObject().put("maxLineLength", "long")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("`handler.maxLineLength` (handler `kv`) must be an integer");
        assertThatThrownBy(() -> kv(new JsonObject().put("maxKeys", 0)))
                .hasMessageContaining("`handler.maxKeys` (handler `kv`) must be between 1 and");
    }
}
