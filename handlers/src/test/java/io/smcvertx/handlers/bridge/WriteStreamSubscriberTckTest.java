package io.smcvertx.handlers.bridge;

import io.smcvertx.handlers.Frame;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK (blackbox subscriber rules) against {@link WriteStreamSubscriber}
 * writing to {@link QueueingWriteStream}, whose queue of two writes is full on almost every frame.
 * It requests by itself (one frame per write), so the TCK needs no trigger.
 */
public class WriteStreamSubscriberTckTest extends FlowSubscriberBlackboxVerification<Frame> {

    private Vertx vertx;
    private Context context;

    public WriteStreamSubscriberTckTest() {
        super(TckEnvironment.create());
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

    @Override
    public Flow.Subscriber<Frame> createFlowSubscriber() {
        return new WriteStreamSubscriber(new QueueingWriteStream(context, 2));
    }

    @Override
    public Frame createElement(int element) {
        return Frame.ofUtf8("frame " + element);
    }
}
