package io.smcvertx.bench;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.smcvertx.grpc.SmcGrpc;
import io.smcvertx.netty.SmcNetty;
import io.smcvertx.netty.SmcPolicy;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC benchmark subjects (benchmarks/grpc/icount.sh), one process each:
 * <ul>
 *   <li>{@code GrpcBench server smc|stock PORT}: the echo service on 127.0.0.1:PORT, made by
 *       {@code SmcGrpc.serverBuilder} on the SMC layer's groups (as smc-grpc-example's EchoServer), or by
 *       stock {@code NettyServerBuilder.forAddress} with grpc-netty's defaults (what a user has without us).
 *       Prints {@code READY} once it listens.</li>
 *   <li>{@code GrpcBench client smc|stock PORT}: a channel made by {@code SmcGrpc.channelBuilder} (SMC
 *       sockets) or stock {@code NettyChannelBuilder.forAddress}; prints {@code READY} after one call and
 *       then runs one command per stdin line, one result line each (netbench's keys, so the lab
 *       scripts read both alike): {@code rr SIZE SECONDS} (blocking unary calls one at a time),
 *       {@code stream BYTES MESSAGE} (one client-streaming call into the sink, flow control respected),
 *       {@code mode} (the client's own connection as its kernel reports it, smc only).</li>
 * </ul>
 * The service is bytes, not protobuf, so the figures are gRPC's and the transport's, not a codec's:
 * {@code Say} (unary, the request back) and {@code Sink} (client streaming, the byte count back).
 */
public final class GrpcBench {
    private static final String SERVICE = "smcvertx.bench.Grpc";
    private static final long DEADLINE_SECONDS = 3600;

    /** Messages are the bytes themselves. */
    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    static final MethodDescriptor<byte[], byte[]> SAY = method("Say", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> SINK = method("Sink", MethodDescriptor.MethodType.CLIENT_STREAMING);

    private GrpcBench() {}

    private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.newBuilder(BYTES, BYTES).setType(type).setFullMethodName(SERVICE + "/" + name).build();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: GrpcBench server|client smc|stock PORT");
            System.exit(2);
        }
        String variant = args[1];
        if (!variant.equals("smc") && !variant.equals("stock")) {
            throw new IllegalArgumentException("`variant` must be smc or stock, got " + variant);
        }
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[2]));
        switch (args[0]) {
            case "server" -> server(variant, address);
            case "client" -> client(variant, address);
            default -> throw new IllegalArgumentException("`role` must be server or client, got " + args[0]);
        }
    }

    static ServerServiceDefinition service() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(SAY, ServerCalls.asyncUnaryCall((byte[] request, StreamObserver<byte[]> reply) -> {
                    reply.onNext(request);
                    reply.onCompleted();
                }))
                .addMethod(SINK, ServerCalls.asyncClientStreamingCall(reply -> new StreamObserver<byte[]>() {
                    private long total;

                    @Override
                    public void onNext(byte[] message) {
                        total += message.length;
                    }

                    @Override
                    public void onError(Throwable t) {
                        // the client went away: nothing to answer
                    }

                    @Override
                    public void onCompleted() {
                        reply.onNext(ByteBuffer.allocate(Long.BYTES).putLong(total).array());
                        reply.onCompleted();
                    }
                }))
                .build();
    }

    private static void server(String variant, InetSocketAddress address) throws Exception {
        Server server;
        if (variant.equals("smc")) {
            // as smc-grpc-example's EchoServer: the layer's groups, one boss, a worker per CPU
            SmcNetty smc = SmcNetty.create(SmcPolicy.DEFAULT);
            EventLoopGroup boss = smc.newEventLoopGroup(1);
            EventLoopGroup workers = smc.newEventLoopGroup(Runtime.getRuntime().availableProcessors());
            server = SmcGrpc.serverBuilder(smc, address, boss, workers).addService(service()).build().start();
            System.out.println("READY grpc server smc " + server.getPort() + " " + smc);
        } else {
            server = NettyServerBuilder.forAddress(address).addService(service()).build().start();
            System.out.println("READY grpc server stock " + server.getPort());
        }
        System.out.flush();
        server.awaitTermination();
    }

    private static void client(String variant, InetSocketAddress address) throws Exception {
        SmcNetty smc = null;
        ManagedChannel channel;
        if (variant.equals("smc")) {
            smc = SmcNetty.create(SmcPolicy.DEFAULT);
            channel = SmcGrpc.channelBuilder(smc, address, smc.newEventLoopGroup(1)).usePlaintext().build();
        } else {
            channel = NettyChannelBuilder.forAddress(address).usePlaintext().build();
        }
        say(channel, new byte[64]);
        System.out.println("READY grpc client " + variant + " " + address.getPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] cmd = line.strip().split("\\s+");
            String out;
            try {
                out = switch (cmd[0]) {
                    case "rr" -> rr(channel, Integer.parseInt(cmd[1]), Double.parseDouble(cmd[2]));
                    case "stream" -> stream(channel, Long.parseLong(cmd[1]), Integer.parseInt(cmd[2]));
                    case "mode" -> smc == null ? "mode=TCP (stock client)" : "mode=" + smc.tracker()
                            .info(smc.tracker().channelsTo(address).get(0)).toCompletableFuture()
                            .get(60, TimeUnit.SECONDS).logLine().replace(' ', '_');
                    case "quit" -> null;
                    default -> "error=unknown_command:" + cmd[0];
                };
            } catch (RuntimeException e) {
                out = "error=" + e.toString().replace(' ', '_');
            }
            if (out == null) {
                break;
            }
            System.out.println(out);
            System.out.flush();
        }
        channel.shutdownNow().awaitTermination(60, TimeUnit.SECONDS);
        System.exit(0);
    }

    private static byte[] say(ManagedChannel channel, byte[] message) {
        return ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS), message);
    }

    /** Unary calls one at a time for {@code seconds}: netbench rr's line (mean_us = guest time per call). */
    private static String rr(ManagedChannel channel, int size, double seconds) {
        byte[] message = new byte[size];
        Arrays.fill(message, (byte) 'x');
        long[] lat = new long[1 << 16];
        int n = 0;
        long start = System.nanoTime(), end = start + (long) (seconds * 1e9), now = start;
        while (now < end) {
            byte[] back = say(channel, message);
            long t = System.nanoTime();
            if (back.length != size) {
                throw new IllegalStateException("reply of " + back.length + " bytes to a " + size + " byte call");
            }
            if (n == lat.length) {
                lat = Arrays.copyOf(lat, n * 2);
            }
            lat[n++] = t - now;
            now = t;
        }
        double dt = (now - start) / 1e9;
        Arrays.sort(lat, 0, n);
        return String.format(Locale.ROOT, "size=%d conns=1 trips=%d seconds=%.3f trips_per_s=%.0f mean_us=%.2f p50_us=%.1f p99_us=%.1f",
                size, n, dt, n / dt, dt / n * 1e6, lat[n / 2] / 1e3, lat[(int) (n * 0.99)] / 1e3);
    }

    /** One client-streaming call of {@code bytes} in messages of {@code size}, sent only while the call is ready. */
    private static String stream(ManagedChannel channel, long bytes, int size) throws Exception {
        byte[] message = new byte[size];
        Arrays.fill(message, (byte) 'x');
        Object ready = new Object();
        CompletableFuture<Long> done = new CompletableFuture<>();
        long[] got = {-1};
        long start = System.nanoTime();
        ClientCall<byte[], byte[]> call = channel.newCall(SINK, CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS));
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] reply) {
                got[0] = ByteBuffer.wrap(reply).getLong();
            }

            @Override
            public void onReady() {
                synchronized (ready) {
                    ready.notifyAll();
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                if (status.isOk()) {
                    done.complete(got[0]);
                } else {
                    done.completeExceptionally(status.asRuntimeException());
                }
                synchronized (ready) {
                    ready.notifyAll();
                }
            }
        }, new Metadata());
        call.request(1);
        long sent = 0;
        while (sent < bytes) {
            synchronized (ready) {
                // isReady turns true before onReady runs, and onReady notifies under this lock: no lost wake-up
                while (!call.isReady() && !done.isDone()) {
                    ready.wait();
                }
            }
            if (done.isDone()) {
                break;
            }
            int len = (int) Math.min(size, bytes - sent);
            call.sendMessage(len == size ? message : Arrays.copyOf(message, len));
            sent += len;
        }
        call.halfClose();
        long total = done.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        double dt = (System.nanoTime() - start) / 1e9;
        if (total != bytes) {
            throw new IllegalStateException("the sink counted " + total + " bytes of " + bytes);
        }
        return String.format(Locale.ROOT, "bytes=%d message=%d seconds=%.4f MBps=%.1f", bytes, size, dt, bytes / dt / 1e6);
    }
}
