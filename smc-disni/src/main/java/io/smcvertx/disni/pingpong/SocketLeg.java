package io.smcvertx.disni.pingpong;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * The TCP and SMC legs: blocking sockets, one message of a fixed size echoed per trip. The
 * client opens with a 4-byte hello carrying the message size, so the server reads exactly one
 * message at a time.
 */
final class SocketLeg {

    private SocketLeg() {
    }

    /** Binds and listens now (so the client's first connect succeeds); {@link Server#serve} accepts later. */
    static Server listen(Transport transport, InetSocketAddress local, long timeoutMillis) throws IOException {
        PosixSocket listener = PosixSocket.open(family(transport));
        try {
            listener.bindAndListen(local, 1);
            // accept(2) honours SO_RCVTIMEO: a client that never comes fails the server in time
            listener.receiveTimeout(timeoutMillis);
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        return new Server(transport, listener, local.getPort(), timeoutMillis);
    }

    /** Connects to the server's {@code transport} listener and checks SMC-R where it applies. */
    static PingPongLink connect(Transport transport, InetSocketAddress server, int size, long timeoutMillis,
                                Consumer<String> log) throws IOException {
        PosixSocket socket = PosixSocket.open(family(transport));
        try {
            socket.noDelay();
            socket.receiveTimeout(timeoutMillis);
            socket.connect(server);
            if (transport == Transport.SMC) {
                log.accept("SMC leg, client end: " + SmcVerdict.requireClientSmcr(server));
            }
            return new Client(socket, size);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static int family(Transport transport) {
        return switch (transport) {
            case TCP -> PosixSocket.AF_INET;
            case SMC -> PosixSocket.AF_SMC;
            case VERBS -> throw new IllegalArgumentException("`transport` VERBS has no socket");
        };
    }

    /** One listener that serves exactly one connection. */
    static final class Server {
        private final Transport transport;
        private final PosixSocket listener;
        private final int port;
        private final long timeoutMillis;

        private Server(Transport transport, PosixSocket listener, int port, long timeoutMillis) {
            this.transport = transport;
            this.listener = listener;
            this.port = port;
            this.timeoutMillis = timeoutMillis;
        }

        /** Accepts one connection and echoes its messages until the client closes; returns the message count. */
        long serve(Consumer<String> log) throws IOException {
            try (PosixSocket connection = listener.accept(); Arena arena = Arena.ofConfined()) {
                listener.close();
                connection.noDelay();
                connection.receiveTimeout(timeoutMillis);
                if (transport == Transport.SMC) {
                    log.accept("SMC leg, server end: " + SmcVerdict.requireServerSmcr(port));
                }
                MemorySegment hello = arena.allocate(ValueLayout.JAVA_INT);
                if (!connection.readFully(hello, hello.byteSize())) {
                    return 0;
                }
                int size = hello.get(ValueLayout.JAVA_INT, 0);
                if (size < Long.BYTES || size > PingPongOptions.MAX_SIZE) {
                    throw new IOException(transport + ": the client announced a message size of " + size + " bytes");
                }
                MemorySegment message = arena.allocate(size);
                long messages = 0;
                while (connection.readFully(message, size)) {
                    connection.writeFully(message, size);
                    messages++;
                }
                return messages;
            }
        }
    }

    private static final class Client implements PingPongLink {
        private final PosixSocket socket;
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment out;
        private final MemorySegment in;
        private final int size;

        Client(PosixSocket socket, int size) throws IOException {
            this.socket = socket;
            this.size = size;
            this.out = arena.allocate(size);
            this.in = arena.allocate(size);
            for (int i = 0; i < size; i++) {
                out.set(ValueLayout.JAVA_BYTE, i, (byte) i);
            }
            MemorySegment hello = arena.allocateFrom(ValueLayout.JAVA_INT, size);
            socket.writeFully(hello, hello.byteSize());
        }

        @Override
        public void trip(long sequence) throws IOException {
            out.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, sequence);
            socket.writeFully(out, size);
            if (!socket.readFully(in, size)) {
                throw new IOException("the server closed the connection");
            }
            long echoed = in.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            if (echoed != sequence || in.mismatch(out) != -1) {
                throw new IOException("echo of message " + sequence + " differs (sequence " + echoed + ")");
            }
        }

        @Override
        public void close() {
            socket.close();
            arena.close();
        }
    }
}
