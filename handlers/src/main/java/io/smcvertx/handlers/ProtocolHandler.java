package io.smcvertx.handlers;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smcvertx.handlers.codec.Framing;
import java.util.Objects;

/**
 * Serves one kind of protocol: each accepted connection is a stream of frames in and a stream of
 * frames out, with backpressure end to end.
 *
 * <p>{@link #handle} is called once per connection, on the connection's event loop, and must not
 * block: return a {@link Multi} and let it do the work when subscribed. The incoming frames are
 * raw reads (as the network delivers them); a framed protocol decodes them with a
 * {@link Framing} operator through {@link Multi#plug}. The outgoing frames are written as they
 * are. When the output completes the connection is ended; when it fails the connection is
 * closed and the failure logged; when the peer goes away the output is cancelled.
 *
 * <p>One instance serves all connections of a listener, so it must be safe to call
 * concurrently from several event loops.
 */
@FunctionalInterface
public interface ProtocolHandler {

    /**
     * Serves one connection.
     *
     * @param connection the connection's addresses and SMC info
     * @param input the bytes from the peer, subscribed to at most once
     * @return the bytes to send back; its completion ends the connection
     */
    Multi<Frame> handle(ConnectionInfo connection, Multi<Frame> input);

    /**
     * Releases what the handler holds for all its connections (clients, pools). Called once when
     * its listener stops.
     */
    default Uni<Void> close() {
        return Uni.createFrom().voidItem();
    }

    /**
     * A request/response handler: each decoded request gets exactly one reply, in order.
     * Requests are decoded with {@code framing}, replies encoded with it, and a reply is awaited
     * before the next request is read, so a pipelining client is served one request at a time.
     *
     * @param framing how requests and replies are delimited on the wire
     * @param requests the per-request logic
     */
    static ProtocolHandler requestResponse(Framing framing, RequestHandler requests) {
        Objects.requireNonNull(framing, "`framing` must not be `null`");
        Objects.requireNonNull(requests, "`requests` must not be `null`");
        return (connection, input) -> input.plug(framing::decode)
                .onItem().transformToUniAndConcatenate(request -> requests.handle(connection, request))
                .map(framing::encode);
    }
}
