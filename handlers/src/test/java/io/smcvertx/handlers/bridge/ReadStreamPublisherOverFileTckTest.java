package io.smcvertx.handlers.bridge;

import io.smcvertx.handlers.Frame;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.testng.SkipException;
import org.testng.annotations.AfterClass;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK against {@link ReadStreamPublisher} over a real Vert.x stream: an
 * {@link AsyncFile} read in 8-byte buffers ({@code setReadBufferSize(8)}) and cut to exactly
 * {@code n} buffers ({@code setReadLength(8 n)}), so Vert.x's own pause/fetch/end semantics are
 * what the bridge meets. Up to {@link #MAX_ELEMENTS} elements: the TCK's
 * {@code Integer.MAX_VALUE}-element cases run against {@link CountingReadStream} in
 * {@link ReadStreamPublisherTckTest}, as does the failed publisher.
 */
public class ReadStreamPublisherOverFileTckTest extends org.reactivestreams.tck.flow.FlowPublisherVerification<Frame> {

    static final int MAX_ELEMENTS = 1024;

    private Vertx vertx;
    private Context context;
    private Path file;
    private final List<AsyncFile> opened = new CopyOnWriteArrayList<>();

    public ReadStreamPublisherOverFileTckTest() {
        super(TckEnvironment.create(), TckEnvironment.GC_TIMEOUT_MS);
    }

    @BeforeClass
    public void setUpFile() throws IOException {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        file = Files.createTempFile("smcvertx-tck", ".bin");
        byte[] bytes = new byte[MAX_ELEMENTS * 8];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        Files.write(file, bytes);
    }

    @AfterMethod(alwaysRun = true)
    public void closeFiles() {
        opened.forEach(AsyncFile::close);
        opened.clear();
    }

    @AfterClass(alwaysRun = true)
    public void tearDown() throws IOException {
        vertx.close().await();
        Files.deleteIfExists(file);
    }

    @Override
    public long maxElementsFromPublisher() {
        return MAX_ELEMENTS;
    }

    @Override
    public Flow.Publisher<Frame> createFlowPublisher(long elements) {
        CompletableFuture<AsyncFile> open = new CompletableFuture<>();
        // opened on `context`, so that is the context the file delivers on
        context.runOnContext(v -> vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        open.complete(ar.result());
                    } else {
                        open.completeExceptionally(ar.cause());
                    }
                }));
        try {
            AsyncFile f = open.get(10, TimeUnit.SECONDS);
            opened.add(f);
            f.setReadBufferSize(8).setReadLength(elements * 8);
            return new ReadStreamPublisher(f, context);
        } catch (Exception e) {
            throw new IllegalStateException("could not open the TCK's file", e);
        }
    }

    @Override
    public Flow.Publisher<Frame> createFailedFlowPublisher() {
        return null; // the TCK skips the failed-publisher rules here; ReadStreamPublisherTckTest covers them
    }

    @Override
    public void optional_spec111_maySupportMultiSubscribe() {
        throw new SkipException("rule 1.11 is optional: a connection's input is single-use (see ReadStreamPublisherTckTest)");
    }
}
