package io.smcvertx.vertx;

import io.smcvertx.vertx.internal.ChannelSource;
import io.smcvertx.vertx.internal.ConnectionRegistry;
import io.smcvertx.vertx.internal.DiagSource;
import io.smcvertx.vertx.internal.SmcBackends;
import io.smcvertx.vertx.internal.SmcTransportSpi;
import java.util.Objects;
import java.util.Optional;

/**
 * A Vert.x transport whose TCP sockets are SMC sockets: Vert.x's epoll transport with its TCP
 * channel factories replaced, so NetServer, NetClient, HttpServer, HttpClient, WebClient and the
 * clustered event bus of that instance speak SMC with no code change. Unix domain sockets and
 * UDP are untouched.
 *
 * <pre>{@code
 * Vertx vertx = Vertx.builder().withTransport(SmcTransport.create()).build();
 * }</pre>
 *
 * <p>On a kernel without SMC the transport hands out plain TCP sockets (unless the policy's
 * mode is {@code REQUIRED}) and keeps the cause: {@link #smcUnavailabilityCause()}.
 */
public final class SmcTransport implements io.vertx.core.transport.Transport {

    private final SmcTransportSpi spi;

    private SmcTransport(SmcTransportSpi spi) {
        this.spi = spi;
    }

    /** The default policy: SMC everywhere, fall back silently. */
    public static SmcTransport create() {
        return create(SmcPolicy.DEFAULT);
    }

    /** A transport that follows {@code policy}. */
    public static SmcTransport create(SmcPolicy policy) {
        Objects.requireNonNull(policy, "`policy` must not be `null`");
        return create(policy, SmcBackends.channels(policy), SmcBackends.diag());
    }

    /** A transport over explicit channel and diag sources (tests, embedding). */
    static SmcTransport create(SmcPolicy policy, ChannelSource channels, DiagSource diag) {
        io.vertx.core.spi.transport.Transport epoll = io.vertx.core.transport.Transport.EPOLL.implementation();
        String plainNote = channels.unavailabilityCause().map(c -> "SMC unavailable: " + c).orElse("");
        ConnectionRegistry registry = new ConnectionRegistry(diag, policy.mode(), channels.smc(), plainNote);
        return new SmcTransport(new SmcTransportSpi(epoll, channels, policy, registry));
    }

    @Override
    public String name() {
        return "smc";
    }

    /** Whether the transport can run: it needs Netty's native epoll; SMC itself is optional. */
    @Override
    public boolean available() {
        return io.vertx.core.transport.Transport.EPOLL.available();
    }

    @Override
    public Throwable unavailabilityCause() {
        return io.vertx.core.transport.Transport.EPOLL.unavailabilityCause();
    }

    @Override
    public io.vertx.core.spi.transport.Transport implementation() {
        return spi;
    }

    /** Whether TCP channels are SMC sockets. */
    public boolean smcAvailable() {
        return spi.source().smc();
    }

    /** Why TCP channels are plain TCP sockets, when they are. */
    public Optional<String> smcUnavailabilityCause() {
        return spi.source().unavailabilityCause();
    }

    /** The policy this transport follows. */
    public SmcPolicy policy() {
        return spi.policy();
    }
}
