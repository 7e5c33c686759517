package io.smcvertx.handlers.internal.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.smcvertx.handlers.ConnectionInfo;
import io.smcvertx.handlers.ConnectionPipe;
import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.ProtocolHandlers;
import io.smcvertx.netty.splice.SplicePipesException;
import io.smcvertx.transport.SmcNativeException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.StreamChannelInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay on Vert.x's native epoll transport, where both sockets are epoll channels and the
 * bytes move in the kernel ({@code splice(2)}): every byte arrives, in order, both ways, under
 * backpressure, and each side's end reaches the other. The clients are plain blocking
 * {@link Socket}s on test threads, so half-close is what a real client does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayKernelSpliceTest {

    private Vertx vertx;
    private final ConcurrentLinkedQueue<ConnectionPipe> pipes = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        assertThat(vertx.isNativeTransportEnabled()).as("Netty's native epoll is on the test classpath").isTrue();
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    private NetServer front(int upstreamPort, String splice) {
        RelayHandler relay = (RelayHandler) ProtocolHandlers.load().create(HandlerConfig.fromJson(new JsonObject()
                .put("name", "relay").put("host", "127.0.0.1").put("port", upstreamPort).put("splice", splice), vertx));
        return vertx.createNetServer()
                .connectHandler(s -> pipes.add(ConnectionPipe.bind(s, relay, ConnectionInfo.of(s))))
                .listen(0, "127.0.0.1").await();
    }

    private static boolean anyInKernel(RelayHandler relay) {
        return relay.legs.stream().anyMatch(l -> l instanceof RelaySplice r && r.inKernel());
    }

    @Test
    void everyByteComesBackInOrderAndTheClientsEndEndsTheEcho() throws Exception {
        // upstream echoes and, at the client's end, ends its side too (pipeTo ends the socket)
        NetServer upstream = vertx.createNetServer().connectHandler(s -> s.pipeTo(s)).listen(0, "127.0.0.1").await();
        NetServer front = front(upstream.actualPort(), "kernel");
        byte[] sent = new byte[24 << 20];
        new Random(7).nextBytes(sent);
        try (Socket client = new Socket("127.0.0.1", front.actualPort())) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = client.getOutputStream();
                    for (int at = 0; at < sent.length; at += 100_000) {
                        out.write(sent, at, Math.min(100_000, sent.length - at));
                    }
                    client.shutdownOutput();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, r -> Thread.ofPlatform().daemon().start(r)); // not the common pool: it may have one worker
            byte[] got = client.getInputStream().readAllBytes(); // to the end: the relay passed upstream's end on
            writer.get(30, TimeUnit.SECONDS);
            assertThat(got.length).isEqualTo(sent.length);
            assertThat(Arrays.equals(got, sent)).as("the echo is what was sent, in order").isTrue();
        }
        ConnectionPipe pipe = pipes.peek();
        assertThat(pipe.closed().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isNull();
        assertThat(pipe.failure()).isNull();
        assertThat(pipe.bytesRead()).isEqualTo(sent.length);
        assertThat(pipe.bytesWritten()).isEqualTo(sent.length);
    }

    @Test
    void theKernelPathIsTakenAndBytesSentBeforeUpstreamAnsweredArriveFirst() throws Exception {
        // upstream greets only after reading the client's first line: nothing moves until then
        NetServer upstream = vertx.createNetServer().connectHandler(s -> {
            Buffer seen = Buffer.buffer();
            s.handler(b -> {
                seen.appendBuffer(b);
                if (seen.toString().endsWith("\n")) {
                    s.end(Buffer.buffer("got " + seen));
                }
            });
        }).listen(0, "127.0.0.1").await();
        RelayHandler relay = (RelayHandler) ProtocolHandlers.load().create(HandlerConfig.fromJson(new JsonObject()
                .put("name", "relay").put("host", "127.0.0.1").put("port", upstream.actualPort()).put("splice", "kernel"), vertx));
        boolean[] kernelSeen = new boolean[1];
        NetServer front = vertx.createNetServer().connectHandler(s -> {
            pipes.add(ConnectionPipe.bind(s, relay, ConnectionInfo.of(s)));
        }).listen(0, "127.0.0.1").await();
        try (Socket client = new Socket("127.0.0.1", front.actualPort())) {
            client.getOutputStream().write("hello\n".getBytes());
            InputStream in = client.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                got.write(c);
                if (!kernelSeen[0]) {
                    kernelSeen[0] = anyInKernel(relay);
                }
            }
            assertThat(got.toString()).isEqualTo("got hello\n");
        }
        assertThat(kernelSeen[0]).as("the leg moved its bytes in the kernel").isTrue();
    }

    @Test
    void upstreamLeavingEndsTheClientAfterItsLastBytes() throws Exception {
        byte[] big = new byte[8 << 20];
        new Random(3).nextBytes(big);
        NetServer upstream = vertx.createNetServer().connectHandler(s -> s.end(Buffer.buffer(big)))
                .listen(0, "127.0.0.1").await();
        NetServer front = front(upstream.actualPort(), "kernel");
        try (Socket client = new Socket("127.0.0.1", front.actualPort())) {
            Thread.sleep(300); // a slow reader: upstream's bytes wait in the relay's pipe and socket buffers
            byte[] got = client.getInputStream().readAllBytes();
            assertThat(Arrays.equals(got, big)).as("all of upstream's bytes, then the end").isTrue();
        }
    }

    /**
     * An upstream that greets and leaves at once: its end may come while the relay hands the
     * channels over (then they go back to the loop and the buffer path finishes), or after (the
     * kernel splice passes it on). Either way the client gets the greeting, then the end.
     */
    @RepeatedTest(20)
    void anUpstreamThatGreetsAndLeavesAtOnceIsRelayedWhicheverPathItMeets() throws Exception {
        NetServer upstream = vertx.createNetServer().connectHandler(s -> s.end(Buffer.buffer("bye\n")))
                .listen(0, "127.0.0.1").await();
        NetServer front = front(upstream.actualPort(), "kernel");
        try (Socket client = new Socket("127.0.0.1", front.actualPort())) {
            client.setSoTimeout(20_000);
            client.getOutputStream().write("hi\n".getBytes());
            assertThat(new String(client.getInputStream().readAllBytes())).isEqualTo("bye\n");
        }
        ConnectionPipe pipe = pipes.peek();
        pipe.closed().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A listener that binds each connection to {@code relay}, its pipes kept for the test. */
    private NetServer frontFor(RelayHandler relay, NetServerOptions options) {
        return vertx.createNetServer(options)
                .connectHandler(s -> pipes.add(ConnectionPipe.bind(s, relay, ConnectionInfo.of(s))))
                .listen(0, "127.0.0.1").await();
    }

    private RelayHandler relay(int upstreamPort) {
        return (RelayHandler) ProtocolHandlers.load().create(HandlerConfig.fromJson(new JsonObject()
                .put("name", "relay").put("host", "127.0.0.1").put("port", upstreamPort).put("splice", "kernel"), vertx));
    }

    /** Writes {@code ping}, reads it back from the echo, and says whether the leg was in the kernel meanwhile. */
    private static boolean pingPong(Socket client, RelayHandler relay) throws Exception {
        client.setSoTimeout(20_000);
        client.getOutputStream().write("ping".getBytes());
        assertThat(new String(client.getInputStream().readNBytes(4))).isEqualTo("ping");
        return anyInKernel(relay);
    }

    @Test
    void closingTheConnectionClosesBothSocketsThroughVertx() throws Exception {
        NetServer upstream = vertx.createNetServer().connectHandler(s -> s.pipeTo(s)).listen(0, "127.0.0.1").await();
        RelayHandler relay = relay(upstream.actualPort());
        NetServer front = frontFor(relay, new NetServerOptions());
        try (Socket client = new Socket("127.0.0.1", front.actualPort())) {
            assertThat(pingPong(client, relay)).as("spliced in the kernel").isTrue();
            ConnectionPipe pipe = pipes.peek();
            pipe.close(); // as the node does at shutdown
            // Vert.x hears of it (the sockets were off its loop): the pipe's closed() completes
            pipe.closed().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(client.getInputStream().read()).isEqualTo(-1);
            // and of the upstream socket's close, which may come a loop turn later
            for (int i = 0; i < 100 && relay.openUpstreams() > 0; i++) {
                Thread.sleep(50);
            }
            assertThat(relay.openUpstreams()).isZero();
        }
    }

    @Test
    void aListenerWithAnIdleTimeoutKeepsTheBufferSplice() throws Exception {
        NetServer upstream = vertx.createNetServer().connectHandler(s -> s.pipeTo(s)).listen(0, "127.0.0.1").await();
        RelayHandler relay = relay(upstream.actualPort());
        NetServer front = frontFor(relay, new NetServerOptions().setIdleTimeout(60));
        try (Socket client = new Socket("127.0.0.1", front.actualPort())) {
            // the idle timer watches Netty's pipeline, which a kernel splice would bypass
            assertThat(pingPong(client, relay)).as("spliced in the kernel").isFalse();
        }
    }

    @Test
    void aTlsListenerKeepsTheBufferSpliceAndRelaysThePlainBytes() throws Exception {
        NetServer upstream = vertx.createNetServer().connectHandler(s -> s.pipeTo(s)).listen(0, "127.0.0.1").await();
        RelayHandler relay = relay(upstream.actualPort());
        SelfSignedCertificate cert = SelfSignedCertificate.create();
        NetServer front = frontFor(relay, new NetServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions()));
        NetClient tls = vertx.createNetClient(new NetClientOptions().setSsl(true).setTrustAll(true).setHostnameVerificationAlgorithm(""));
        NetSocket socket = tls.connect(front.actualPort(), "127.0.0.1").await();
        CompletableFuture<String> back = new CompletableFuture<>();
        Buffer got = Buffer.buffer();
        socket.handler(b -> {
            got.appendBuffer(b);
            if (got.length() >= 4) {
                back.complete(got.toString());
            }
        });
        socket.write("ping").await();
        // spliced in the kernel, the upstream would have had the TLS records, and echoed them
        assertThat(back.get(20, TimeUnit.SECONDS)).isEqualTo("ping");
        assertThat(anyInKernel(relay)).as("spliced in the kernel").isFalse();
        socket.close().await();
    }

    @Test
    void theChunkedWriterVertxAddsUnderTheSmcTransportDoesNotStopTheKernelSplice() throws Exception {
        NetServer upstream = vertx.createNetServer().connectHandler(s -> s.pipeTo(s)).listen(0, "127.0.0.1").await();
        RelayHandler relay = relay(upstream.actualPort());
        // Vert.x puts a ChunkedWriteHandler in every pipeline where the transport has no file
        // regions (the SMC transport's, as the lab's node showed); it passes buffers through
        NetServer front = vertx.createNetServer().connectHandler(s -> {
            ((StreamChannelInternal) s).channelHandlerContext().pipeline().addBefore("handler", "chunkedWriter", new ChunkedWriteHandler());
            pipes.add(ConnectionPipe.bind(s, relay, ConnectionInfo.of(s)));
        }).listen(0, "127.0.0.1").await();
        try (Socket client = new Socket("127.0.0.1", front.actualPort())) {
            assertThat(pingPong(client, relay)).as("spliced in the kernel").isTrue();
        }
    }

    @Test
    void withoutPipesTheRelayCarriesOnWithTheBufferSpliceAndLosesNothing() throws Exception {
        NetServer upstream = vertx.createNetServer().connectHandler(s -> s.pipeTo(s)).listen(0, "127.0.0.1").await();
        RelayHandler relay = relay(upstream.actualPort());
        AtomicInteger owed = new AtomicInteger(-1);
        relay.kernelStarter = (a, b, owedToB, owedToA) -> {
            owed.set(owedToB.stream().mapToInt(ByteBuf::readableBytes).sum());
            // as ChannelSplice.start does out of descriptors: throws, and changes nothing
            throw new SplicePipesException(new SmcNativeException("pipe2", 24, "EMFILE", "Too many open files"));
        };
        // bound paused, after a while, as the node binds after an asynchronous lookup: what the
        // client sent meanwhile is held, taken for the kernel splice, and must be given back
        NetServer front = vertx.createNetServer().connectHandler(s -> {
            s.pause();
            vertx.setTimer(300, t -> pipes.add(ConnectionPipe.bind(s, relay, ConnectionInfo.of(s))));
        }).listen(0, "127.0.0.1").await();
        byte[] data = new byte[4 << 20];
        new Random(7).nextBytes(data);
        try (Socket client = new Socket("127.0.0.1", front.actualPort())) {
            client.setSoTimeout(20_000);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    client.getOutputStream().write(data);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] got = client.getInputStream().readNBytes(data.length);
            sent.get(20, TimeUnit.SECONDS);
            assertThat(Arrays.equals(got, data)).as("every byte back, in order").isTrue();
            assertThat(owed.get()).as("bytes held before upstream answered, handed to the kernel splice").isPositive();
            assertThat(anyInKernel(relay)).as("spliced in the kernel").isFalse();
        }
    }

    @Test
    void aListenerThatLogsActivityKeepsTheBufferSplice() throws Exception {
        NetServer upstream = vertx.createNetServer().connectHandler(s -> s.pipeTo(s)).listen(0, "127.0.0.1").await();
        RelayHandler relay = relay(upstream.actualPort());
        NetServer front = frontFor(relay, new NetServerOptions().setLogActivity(true));
        try (Socket client = new Socket("127.0.0.1", front.actualPort())) {
            assertThat(pingPong(client, relay)).as("spliced in the kernel").isFalse();
        }
    }

    @Test
    void theKernelSpliceIsTheDefault() throws Exception {
        NetServer upstream = vertx.createNetServer().connectHandler(s -> s.pipeTo(s)).listen(0, "127.0.0.1").await();
        RelayHandler relay = (RelayHandler) ProtocolHandlers.load().create(HandlerConfig.fromJson(new JsonObject()
                .put("name", "relay").put("host", "127.0.0.1").put("port", upstream.actualPort()), vertx));
        NetServer front = frontFor(relay, new NetServerOptions());
        try (Socket client = new Socket("127.0.0.1", front.actualPort())) {
            assertThat(pingPong(client, relay)).as("spliced in the kernel").isTrue();
        }
    }

    @Test
    void theBufferPathStaysAvailable() throws Exception {
        NetServer upstream = vertx.createNetServer().connectHandler(s -> s.pipeTo(s)).listen(0, "127.0.0.1").await();
        RelayHandler relay = (RelayHandler) ProtocolHandlers.load().create(HandlerConfig.fromJson(new JsonObject()
                .put("name", "relay").put("host", "127.0.0.1").put("port", upstream.actualPort()).put("splice", "buffers"), vertx));
        NetServer front = frontFor(relay, new NetServerOptions());
        try (Socket client = new Socket("127.0.0.1", front.actualPort())) {
            // (the buffer path ends both sides at either side's end: no half-close to test here)
            assertThat(pingPong(client, relay)).as("spliced in the kernel").isFalse();
        }
    }
}
