package io.smcvertx.disni.pingpong;

import com.ibm.disni.verbs.IbvWC;
import com.ibm.disni.verbs.RdmaCm;
import com.ibm.disni.verbs.RdmaCmEvent;
import com.ibm.disni.verbs.RdmaCmEvent.EventType;
import com.ibm.disni.verbs.RdmaCmId;
import com.ibm.disni.verbs.RdmaConnParam;
import com.ibm.disni.verbs.RdmaEventChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The verbs leg over DiSNI: an RC queue pair connected through rdma_cm, one SEND per message
 * and one SEND back. The server echoes from the buffer the message arrived in (no copy) and
 * keeps {@link #SERVER_BUFFERS} receives posted, so a message never finds the receive queue
 * empty while an earlier buffer is still being sent from. A 1-byte message ends the connection.
 */
final class VerbsLeg {

    private static final int SERVER_BUFFERS = 4;
    private static final int CLIENT_SEND = 0;
    private static final int CLIENT_RECEIVE = 1;
    private static final int STOP_LENGTH = 1;
    /** rdma_cm address and route resolution, milliseconds per attempt. */
    private static final int RESOLVE_MILLIS = 5_000;
    /** 7 = retry forever on receiver-not-ready; transport retries as rdma_cm's default. */
    private static final byte RNR_RETRY = 7;
    private static final byte RETRY = 7;

    private VerbsLeg() {
    }

    /** Binds and listens now; {@link Server#serve} accepts later. */
    static Server listen(InetSocketAddress local, boolean busy, long timeoutMillis) throws IOException {
        RdmaEventChannel channel = RdmaEventChannel.createEventChannel();
        RdmaCmId listener = channel.createId(RdmaCm.RDMA_PS_TCP);
        listener.bindAddr(local);
        listener.listen(1);
        return new Server(channel, listener, busy, timeoutMillis);
    }

    /** Resolves, connects and returns the client end, with its one receive posted before connecting. */
    static PingPongLink connect(InetSocketAddress server, int size, boolean busy, long timeoutMillis) throws IOException {
        RdmaEventChannel channel = RdmaEventChannel.createEventChannel();
        RdmaCmId id = channel.createId(RdmaCm.RDMA_PS_TCP);
        id.resolveAddr(null, server, RESOLVE_MILLIS);
        expect(channel, EventType.RDMA_CM_EVENT_ADDR_RESOLVED, timeoutMillis);
        id.resolveRoute(RESOLVE_MILLIS);
        expect(channel, EventType.RDMA_CM_EVENT_ROUTE_RESOLVED, timeoutMillis);
        VerbsEndpoint endpoint = VerbsEndpoint.create(id, 2, size, busy);
        endpoint.receive(CLIENT_RECEIVE);
        id.connect(parameters());
        expect(channel, EventType.RDMA_CM_EVENT_ESTABLISHED, timeoutMillis);
        return new Client(channel, id, endpoint, size, TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    }

    private static RdmaConnParam parameters() throws IOException {
        RdmaConnParam p = new RdmaConnParam();
        p.setRetry_count(RETRY);
        p.setRnr_retry_count(RNR_RETRY);
        return p;
    }

    private static RdmaCmEvent expect(RdmaEventChannel channel, EventType expected, long timeoutMillis) throws IOException {
        RdmaCmEvent event = channel.getCmEvent((int) Math.min(Integer.MAX_VALUE, timeoutMillis));
        if (event == null) {
            throw new IOException("rdma_cm: no event within " + timeoutMillis + " ms while waiting for " + expected);
        }
        event.ackEvent();
        if (event.getEvent() != expected.ordinal()) {
            throw new IOException("rdma_cm: " + EventType.values()[event.getEvent()] + " while waiting for " + expected);
        }
        return event;
    }

    /** One listener that serves exactly one connection. */
    static final class Server {
        private final RdmaEventChannel channel;
        private final RdmaCmId listener;
        private final boolean busy;
        private final long timeoutMillis;

        private Server(RdmaEventChannel channel, RdmaCmId listener, boolean busy, long timeoutMillis) {
            this.channel = channel;
            this.listener = listener;
            this.busy = busy;
            this.timeoutMillis = timeoutMillis;
        }

        /** Accepts one connection and echoes until the stop message; returns the message count. */
        long serve() throws IOException {
            RdmaCmId id = expect(channel, EventType.RDMA_CM_EVENT_CONNECT_REQUEST, timeoutMillis).getConnIdPriv();
            long messages = 0;
            try (VerbsEndpoint endpoint = VerbsEndpoint.create(id, SERVER_BUFFERS, PingPongOptions.MAX_SIZE, busy)) {
                for (int i = 0; i < SERVER_BUFFERS; i++) {
                    endpoint.receive(i);
                }
                id.accept(parameters());
                expect(channel, EventType.RDMA_CM_EVENT_ESTABLISHED, timeoutMillis);
                long idle = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
                while (true) {
                    IbvWC wc = endpoint.next(System.nanoTime() + idle);
                    int buffer = (int) (wc.getWr_id() % VerbsEndpoint.SEND_TAG);
                    if (wc.getWr_id() >= VerbsEndpoint.SEND_TAG) {
                        endpoint.receive(buffer);
                    } else if (wc.getByte_len() == STOP_LENGTH) {
                        break;
                    } else {
                        endpoint.send(buffer, wc.getByte_len());
                        messages++;
                    }
                }
                id.disconnect();
            } finally {
                id.destroyId();
                listener.destroyId();
                channel.destroyEventChannel();
            }
            return messages;
        }
    }

    private static final class Client implements PingPongLink {
        private final RdmaEventChannel channel;
        private final RdmaCmId id;
        private final VerbsEndpoint endpoint;
        private final ByteBuffer out;
        private final ByteBuffer in;
        private final int size;
        private final long timeoutNanos;

        Client(RdmaEventChannel channel, RdmaCmId id, VerbsEndpoint endpoint, int size, long timeoutNanos) {
            this.channel = channel;
            this.id = id;
            this.endpoint = endpoint;
            this.size = size;
            this.timeoutNanos = timeoutNanos;
            this.out = endpoint.buffer(CLIENT_SEND);
            this.in = endpoint.buffer(CLIENT_RECEIVE);
            for (int i = 0; i < size; i++) {
                out.put(i, (byte) i);
            }
        }

        @Override
        public void trip(long sequence) throws IOException {
            out.putLong(0, sequence);
            endpoint.send(CLIENT_SEND, size);
            long deadline = System.nanoTime() + timeoutNanos;
            boolean sent = false;
            int received = -1;
            while (!sent || received < 0) {
                IbvWC wc = endpoint.next(deadline);
                if (wc.getWr_id() == VerbsEndpoint.SEND_TAG + CLIENT_SEND) {
                    sent = true;
                } else {
                    received = wc.getByte_len();
                }
            }
            long echoed = in.getLong(0);
            if (received != size || echoed != sequence || in.slice(0, size).mismatch(out.slice(0, size)) != -1) {
                throw new IOException("echo of message " + sequence + " differs (sequence " + echoed + ", " + received + " bytes)");
            }
            endpoint.receive(CLIENT_RECEIVE);
        }

        @Override
        public void close() throws IOException {
            try {
                endpoint.send(CLIENT_SEND, STOP_LENGTH);
                endpoint.next(System.nanoTime() + timeoutNanos);
                id.disconnect();
            } finally {
                try {
                    endpoint.close();
                } finally {
                    id.destroyId();
                    channel.destroyEventChannel();
                }
            }
        }
    }
}
