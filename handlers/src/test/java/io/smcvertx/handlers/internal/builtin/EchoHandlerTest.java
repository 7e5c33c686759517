package io.smcvertx.handlers.internal.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.handlers.ConnectionInfo;
import io.smcvertx.handlers.Frame;
import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.ProtocolHandler;
import io.smcvertx.handlers.ProtocolHandlers;
import io.smcvertx.handlers.testing.HandlerHarness;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class EchoHandlerTest {

    private final ProtocolHandler echo = ProtocolHandlers.load().create(HandlerConfig.of("echo"));

    @Test
    void echoesEveryReadInOrderAndCompletesWithTheInput() {
        HandlerHarness h = HandlerHarness.of(echo);
        h.pushUtf8("hello ", "world").push(Frame.empty());
        h.output().assertItems(Frame.ofUtf8("hello "), Frame.ofUtf8("world"), Frame.empty()).assertNotTerminated();
        h.complete();
        h.output().assertCompleted();
        assertThat(h.utf8Out()).isEqualTo("hello world");
    }

    @Test
    void readsNoFasterThanTheOutputIsConsumed() {
        HandlerHarness h = HandlerHarness.of(echo, ConnectionInfo.loopback(), 0);
        h.pushUtf8("a", "b", "c");
        assertThat(h.inputRequested()).isZero();
        h.output().assertHasNotReceivedAnyItem().request(2);
        assertThat(h.inputRequested()).isEqualTo(2);
        h.output().assertItems(Frame.ofUtf8("a"), Frame.ofUtf8("b"));
    }

    @Test
    void cancellingTheOutputCancelsTheInput() {
        HandlerHarness h = HandlerHarness.of(echo);
        h.pushUtf8("x");
        h.output().cancel();
        assertThat(h.inputCancelled()).isTrue();
    }

    @Test
    void anInputFailureFailsTheOutput() {
        HandlerHarness h = HandlerHarness.of(echo);
        h.fail(new IOException("connection reset"));
        h.output().assertFailedWith(IOException.class, "connection reset");
    }
}
