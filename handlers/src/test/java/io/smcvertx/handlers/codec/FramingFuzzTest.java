package io.smcvertx.handlers.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smcvertx.handlers.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target for the framing decoders, what a peer's bytes meet first: any framing, any limit,
 * the input cut into reads anywhere. A stream ends completed or failed with a
 * {@link FramingException}, never another error, and no frame is larger than the limit. Crashes
 * found are kept in {@code FramingFuzzTestInputs/}; {@code deploy/fuzz/run.sh} fuzzes.
 */
class FramingFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decoders(FuzzedDataProvider data) {
        int kind = data.consumeInt(0, 3);
        int limit = data.consumeInt(1, 300);
        Framing framing = switch (kind) {
            case 0 -> Framing.lines(limit);
            case 1 -> Framing.lengthPrefixed(1, Math.min(limit, 255));
            case 2 -> Framing.lengthPrefixed(2, limit);
            default -> Framing.lengthPrefixed(4, limit);
        };
        List<Frame> reads = new ArrayList<>();
        while (data.remainingBytes() > 0) {
            reads.add(Frame.of(data.consumeBytes(data.consumeInt(0, 64))));
        }
        AssertSubscriber<Frame> s = Multi.createFrom().iterable(reads).plug(framing::decode)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        if (s.getFailure() != null) {
            assertThat(s.getFailure()).isInstanceOf(FramingException.class);
        } else {
            s.assertCompleted();
        }
        for (Frame f : s.getItems()) {
            assertThat(f.size()).isLessThanOrEqualTo(limit);
        }
    }
}
