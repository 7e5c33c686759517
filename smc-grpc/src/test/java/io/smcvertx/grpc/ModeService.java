package io.smcvertx.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A test service without generated code: UTF-8 strings on the wire. {@code Mode} answers with the
 * server's view of the call's connection ({@link SmcGrpc#connection()}); {@code Count} streams
 * {@code 1..n}, so streaming calls run over the same connections.
 */
final class ModeService {

    static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
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

    static final MethodDescriptor<String, String> MODE = MethodDescriptor.newBuilder(UTF8, UTF8)
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("smcvertx.test.Modes/Mode").build();
    static final MethodDescriptor<String, String> COUNT = MethodDescriptor.newBuilder(UTF8, UTF8)
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING).setFullMethodName("smcvertx.test.Modes/Count").build();

    private ModeService() {
    }

    static ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder("smcvertx.test.Modes")
                .addMethod(MODE, ServerCalls.asyncUnaryCall((String request, io.grpc.stub.StreamObserver<String> reply) ->
                        SmcGrpc.connection().whenComplete((info, failure) -> {
                            reply.onNext(failure == null ? info.logLine() : "no connection: " + failure.getMessage());
                            reply.onCompleted();
                        })))
                .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((String request, io.grpc.stub.StreamObserver<String> reply) -> {
                    for (int i = 1; i <= Integer.parseInt(request); i++) {
                        reply.onNext(String.valueOf(i));
                    }
                    reply.onCompleted();
                }))
                .build();
    }
}
