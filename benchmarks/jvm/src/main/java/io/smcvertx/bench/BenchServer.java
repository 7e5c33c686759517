package io.smcvertx.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.NetServer;

/**
 * One benchmark subject per process, started by the scripts under benchmarks/:
 * {@code BenchServer KIND VARIANT PORT [ARG]}. Prints {@code READY} once it listens on 127.0.0.1 (or on the
 * address in the system property {@code bench.host}: the two-guest lab runs listen on their link).
 * <ul>
 *   <li>{@code http stock|smc|smc-off PORT}: HTTP/1.1 "hello" on the stock epoll transport, SmcTransport, or
 *       SmcTransport with SMC disabled by its policy (its TCP path on a kernel that has SMC)</li>
 *   <li>{@code echo pipe|spi PORT}: TCP echo, hand-written {@code NetSocket.pipeTo} or the Mutiny handler SPI</li>
 *   <li>{@code accept stock|smc PORT}: NetServer that closes every connection it accepts</li>
 *   <li>{@code relay relay|relay-smc PORT HOST:PORT [PORT HOST:PORT]...}: the {@code relay} handler in front of
 *       each target, on the stock transport, or on SmcTransport with plain TCP listeners (listener rules)
 *       and SMC upstream</li>
 *   <li>{@code node stock|smc|smc-off ECHO_PORT SINK_PORT}: echo and sink of {@code node-echo}/{@code node-sink}
 *       in one process, so a lab run keeps one subject alive at a time</li>
 *   <li>{@code node-echo stock|smc PORT}, {@code node-sink stock|smc PORT}: the node's data path on either
 *       transport, for the SMC-vs-TCP lab runs (sink: u64 length, that many bytes, one byte back)</li>
 * </ul>
 */
public final class BenchServer {
    private static final Buffer HELLO = Buffer.buffer("hello");
    private static final String HOST = System.getProperty("bench.host", "127.0.0.1");

    private BenchServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: BenchServer http|echo|accept|relay VARIANT PORT [TARGET]");
            System.exit(2);
        }
        String kind = args[0], variant = args[1];
        int port = Integer.parseInt(args[2]);
        switch (kind) {
            case "http" -> http(Transports.vertx(variant), port);
            case "accept" -> net(Transports.vertx(variant), port, "accept");
            case "node-echo" -> net(Transports.vertx(variant), port, "pipe");
            case "node-sink" -> net(Transports.vertx(variant), port, "sink");
            case "node" -> {
                if (args.length < 4) throw new IllegalArgumentException("`sinkPort` is required for node");
                Vertx vertx = Transports.vertx(variant);
                net(vertx, port, "pipe");
                net(vertx, Integer.parseInt(args[3]), "sink");
            }
            case "echo" -> {
                if (variant.equals("pipe")) {
                    net(Transports.vertx("stock"), port, "pipe");
                } else if (variant.equals("spi")) {
                    listen(HandlerSubject.echoServer(Transports.vertx("stock"), port));
                } else {
                    throw new IllegalArgumentException("`variant` must be pipe or spi, got " + variant);
                }
            }
            case "relay" -> {
                // relay VARIANT PORT TARGET [PORT TARGET]...: one listener per pair, one event loop for all
                if (args.length < 4 || args.length % 2 != 0) {
                    throw new IllegalArgumentException("relay needs PORT HOST:PORT pairs, got " + java.util.Arrays.toString(args));
                }
                int[] ports = new int[(args.length - 2) / 2];
                for (int i = 0; i < ports.length; i++) {
                    ports[i] = Integer.parseInt(args[2 + 2 * i]);
                }
                Vertx vertx = switch (variant) {
                    case "relay" -> Transports.vertx("stock");
                    case "relay-smc" -> Transports.vertx(SmcSubject.tcpListeners(ports));
                    default -> throw new IllegalArgumentException("`variant` must be relay or relay-smc, got " + variant);
                };
                for (int i = 0; i < ports.length; i++) {
                    String[] target = args[3 + 2 * i].split(":");
                    listen(HandlerSubject.relayServer(vertx, ports[i], target[0], Integer.parseInt(target[1])));
                }
            }
            default -> throw new IllegalArgumentException("`kind` must be http, echo, accept or relay, got " + kind);
        }
        System.out.println("READY " + kind + " " + variant + " " + port);
        System.out.flush();
        Thread.currentThread().join();
    }

    private static void http(Vertx vertx, int port) throws Exception {
        var server = vertx.createHttpServer().requestHandler(req -> req.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                .end(HELLO));
        server.listen(port, HOST).await();
    }

    private static void net(Vertx vertx, int port, String mode) throws Exception {
        NetServer server = vertx.createNetServer().connectHandler(socket -> {
            if (mode.equals("accept")) {
                socket.close();
            } else if (mode.equals("sink")) {
                socket.handler(new Sink(socket::write));
            } else {
                socket.pipeTo(socket); // the hand-written anchor: Vert.x's own pipe with pause/resume backpressure
            }
        });
        server.listen(port, HOST).await();
    }

    /** Reads a u64 (little-endian, as netbench writes it) length, discards that many bytes, answers 'K'. */
    private static final class Sink implements io.vertx.core.Handler<Buffer> {
        private static final Buffer ACK = Buffer.buffer("K");
        private final java.util.function.Consumer<Buffer> reply;
        private final byte[] header = new byte[8];
        private int headerLength;
        private long remaining;

        Sink(java.util.function.Consumer<Buffer> reply) {
            this.reply = reply;
        }

        @Override
        public void handle(Buffer buffer) {
            int off = 0, len = buffer.length();
            while (off < len) {
                if (headerLength < 8) {
                    header[headerLength++] = buffer.getByte(off++);
                    if (headerLength == 8) {
                        remaining = java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
                    }
                    continue;
                }
                int take = (int) Math.min(remaining, len - off);
                remaining -= take;
                off += take;
                if (remaining == 0) {
                    headerLength = 0;
                    reply.accept(ACK);
                }
            }
        }
    }

    private static void listen(io.vertx.core.Future<?> listening) throws Exception {
        listening.await();
    }
}
