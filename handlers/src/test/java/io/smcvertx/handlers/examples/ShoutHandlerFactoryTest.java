package io.smcvertx.handlers.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.handlers.ConnectionInfo;
import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.ProtocolHandler;
import io.smcvertx.handlers.testing.HandlerHarness;
import io.smcvertx.transport.diag.ConnectionMode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ShoutHandlerFactoryTest {

    // <harness>
    @Test
    void shoutsEachLineAndSaysHowTheConnectionIsCarried() {
        ProtocolHandler shout = new ShoutHandlerFactory().create(
                HandlerConfig.fromJson(new JsonObject().put("name", "shout").put("prefix", "> "), null));
        HandlerHarness tcp = HandlerHarness.of(shout);
        tcp.pushUtf8("hel", "lo\r\nworld\n");
        assertThat(tcp.utf8Out()).isEqualTo("> HELLO via TCP\n> WORLD via TCP\n");

        HandlerHarness smcd = HandlerHarness.of(shout, ConnectionInfo.loopback().withSmc(ConnectionMode.SMCD), Long.MAX_VALUE);
        smcd.pushUtf8("hi\n").complete();
        assertThat(smcd.utf8Out()).isEqualTo("> HI via SMCD\n");
        smcd.output().assertCompleted();
    }
    // </harness>
}
