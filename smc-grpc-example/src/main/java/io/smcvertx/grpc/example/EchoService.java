package io.smcvertx.grpc.example;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smcvertx.grpc.SmcGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.stream.Collectors;

/**
 * The service {@code smcvertx.example.Echo}, without generated code: messages are UTF-8 strings,
 * so any gRPC client can call it with raw bytes (python: {@code channel.unary_unary(
 * "/smcvertx.example.Echo/Say")}). {@code Mode} is the server's view of the caller's connection,
 * {@code Metrics} the SMC meters.
 */
public final class EchoService {

    /** The gRPC service name. */
    public static final String NAME = "smcvertx.example.Echo";

    /** Messages on the wire: the UTF-8 bytes of a string. */
    public static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** Unary: the request back. */
    public static final MethodDescriptor<String, String> SAY = method("Say", MethodDescriptor.MethodType.UNARY);
    /** Server streaming: {@code "1"} .. {@code "n"} for a request {@code "n"}. */
    public static final MethodDescriptor<String, String> COUNT = method("Count", MethodDescriptor.MethodType.SERVER_STREAMING);
    /** Bidirectional streaming: each message back as it comes. */
    public static final MethodDescriptor<String, String> CHAT = method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);
    /** Unary: what the kernel made of the caller's connection, one line ({@code SmcConnectionInfo.logLine()}). */
    public static final MethodDescriptor<String, String> MODE = method("Mode", MethodDescriptor.MethodType.UNARY);
    /** Unary: the server's SMC meters, one {@code name{tags} value} a line. */
    public static final MethodDescriptor<String, String> METRICS = method("Metrics", MethodDescriptor.MethodType.UNARY);

    /** The most {@code Count} streams, so a request cannot make the server stream without end. */
    public static final int MAX_COUNT = 1_000_000;

    private EchoService() {
    }

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.newBuilder(UTF8, UTF8).setType(type).setFullMethodName(NAME + "/" + name).build();
    }

    /** The service, with {@code registry} behind {@code Metrics}. */
    public static ServerServiceDefinition definition(MeterRegistry registry) {
        return ServerServiceDefinition.builder(NAME)
                .addMethod(SAY, ServerCalls.asyncUnaryCall((String request, StreamObserver<String> reply) -> {
                    reply.onNext(request);
                    reply.onCompleted();
                }))
                .addMethod(COUNT, ServerCalls.asyncServerStreamingCall(EchoService::count))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(EchoService::chat))
                .addMethod(MODE, ServerCalls.asyncUnaryCall((String request, StreamObserver<String> reply) ->
                        // the kernel's answer comes from the smc_diag reader: reply when it is there, never wait for it
                        SmcGrpc.connection().whenComplete((info, failure) -> {
                            reply.onNext(failure == null ? info.logLine() : "unknown: " + failure.getMessage());
                            reply.onCompleted();
                        })))
                .addMethod(METRICS, ServerCalls.asyncUnaryCall((String request, StreamObserver<String> reply) -> {
                    reply.onNext(smcMeters(registry));
                    reply.onCompleted();
                }))
                .build();
    }

    private static void count(String request, StreamObserver<String> reply) {
        int n;
        try {
            n = Integer.parseInt(request.strip());
        } catch (NumberFormatException e) {
            reply.onError(io.grpc.Status.INVALID_ARGUMENT.withDescription("`n` must be an integer, got: " + request).asRuntimeException());
            return;
        }
        if (n < 0 || n > MAX_COUNT) {
            reply.onError(io.grpc.Status.INVALID_ARGUMENT.withDescription("`n` must be 0.." + MAX_COUNT + ", got: " + n).asRuntimeException());
            return;
        }
        for (int i = 1; i <= n; i++) {
            reply.onNext(String.valueOf(i));
        }
        reply.onCompleted();
    }

    private static StreamObserver<String> chat(StreamObserver<String> reply) {
        return new StreamObserver<>() {
            @Override
            public void onNext(String message) {
                reply.onNext(message);
            }

            @Override
            public void onError(Throwable t) {
                // the client went away or cancelled: nothing left to answer
            }

            @Override
            public void onCompleted() {
                reply.onCompleted();
            }
        };
    }

    /** The {@code smcvertx_*} meters of {@code registry}, sorted, one {@code name{tags} value} a line. */
    public static String smcMeters(MeterRegistry registry) {
        return registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("smcvertx"))
                .map(EchoService::line)
                .sorted(Comparator.naturalOrder())
                .collect(Collectors.joining("\n"));
    }

    private static String line(Meter meter) {
        String tags = meter.getId().getTags().stream().map(t -> t.getKey() + "=" + t.getValue()).collect(Collectors.joining(","));
        double value = 0;
        for (Measurement m : meter.measure()) {
            value = m.getValue();
        }
        return meter.getId().getName() + "{" + tags + "} " + (value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value));
    }
}
