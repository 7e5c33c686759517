package io.smcvertx.handlers.bridge;

import io.smcvertx.handlers.Frame;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.SkipException;
import org.testng.annotations.AfterClass;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK (Flow, TestNG on the JUnit Platform) against {@link ReadStreamPublisher}
 * over {@link CountingReadStream}, a stream as strict as the {@code ReadStream} contract allows.
 */
public class ReadStreamPublisherTckTest extends FlowPublisherVerification<Frame> {

    private Vertx vertx;
    private Context context;
    private final List<CountingReadStream> streams = new CopyOnWriteArrayList<>();

    public ReadStreamPublisherTckTest() {
        super(TckEnvironment.create(), TckEnvironment.GC_TIMEOUT_MS);
    }

    @BeforeClass
    public void startVertx() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterClass(alwaysRun = true)
    public void stopVertx() {
        vertx.close().await();
    }

    /**
     * After a cancel the bridge resumes its stream with a discarding handler and relies on its
     * owner to close the connection; here the test plays the owner, or a cancelled stream of
     * {@code Integer.MAX_VALUE} buffers would go on flowing into the next test.
     */
    @AfterMethod(alwaysRun = true)
    public void closeStreams() {
        streams.forEach(CountingReadStream::close);
        streams.clear();
    }

    @Override
    public Flow.Publisher<Frame> createFlowPublisher(long elements) {
        CountingReadStream stream = CountingReadStream.of(context, elements);
        streams.add(stream);
        return new ReadStreamPublisher(stream, context);
    }

    @Override
    public Flow.Publisher<Frame> createFailedFlowPublisher() {
        return new ReadStreamPublisher(CountingReadStream.failing(context, new IOException("connection reset (test)")), context);
    }

    @Override
    public void optional_spec111_maySupportMultiSubscribe() {
        throw new SkipException("rule 1.11 is optional: a connection's input is single-use, so a second subscriber "
                + "is rejected with onSubscribe + onError (rule 1.9), which required_spec109 checks");
    }
}
