package io.smcvertx.vertx;

import io.smcvertx.netty.SmcChannels;
import io.smcvertx.netty.SmcNetty;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.vertx.internal.SmcTransportSpi;
import java.util.Objects;
import java.util.Optional;

/**
 * A Vert.x transport whose TCP sockets are SMC sockets: Vert.x's epoll transport (or its NIO
 * transport where Netty has no native epoll, e.g. s390x) with its TCP channel factories taken
 * from smc-netty's {@link SmcNetty}, so NetServer, NetClient, HttpServer, HttpClient, WebClient
 * and the clustered event bus of that instance speak SMC with no code change. Unix domain
 * sockets and UDP are untouched.
 *
 * <pre>{@code
 * Vertx vertx = Vertx.builder().withTransport(SmcTransport.create()).build();
 * }</pre>
 *
 * <p>On a kernel without SMC the transport hands out plain TCP sockets (unless the policy's
 * mode is {@code REQUIRED}) and keeps the cause: {@link #smcUnavailabilityCause()}. Which Netty
 * transport it runs on, and why, is {@link #nettyTransportReason()}.
 */
public final class SmcTransport implements io.vertx.core.transport.Transport {

    private final io.vertx.core.transport.Transport inner;
    private final SmcTransportSpi spi;

    private SmcTransport(io.vertx.core.transport.Transport inner, SmcNetty smc) {
        this.inner = inner;
        this.spi = new SmcTransportSpi(inner.implementation(), smc);
    }

    /** The default policy: SMC everywhere, fall back silently. */
    public static SmcTransport create() {
        return create(SmcPolicy.DEFAULT);
    }

    /** A transport that follows {@code policy}, on epoll where Netty has it, NIO elsewhere. Never throws for either. */
    public static SmcTransport create(SmcPolicy policy) {
        return create(SmcNetty.create(Objects.requireNonNull(policy, "`policy` must not be `null`")));
    }

    /**
     * A transport over an SMC layer made by the caller (e.g. one forced onto NIO, or shared with a
     * gRPC server in the same process so one tracker sees every connection).
     */
    public static SmcTransport create(SmcNetty smc) {
        Objects.requireNonNull(smc, "`smc` must not be `null`");
        io.vertx.core.transport.Transport inner = smc.transport() == SmcChannels.Transport.EPOLL
                ? io.vertx.core.transport.Transport.EPOLL : io.vertx.core.transport.Transport.NIO;
        return new SmcTransport(inner, smc);
    }

    @Override
    public String name() {
        return "smc";
    }

    /** Whether the transport can run: on Vert.x's epoll transport when it has native epoll, always on NIO. */
    @Override
    public boolean available() {
        return inner.available();
    }

    @Override
    public Throwable unavailabilityCause() {
        return inner.unavailabilityCause();
    }

    @Override
    public io.vertx.core.spi.transport.Transport implementation() {
        return spi;
    }

    /** The SMC layer underneath: its policy, channel factories and connection tracker. */
    public SmcNetty smc() {
        return spi.smc();
    }

    /** Whether TCP channels are SMC sockets. */
    public boolean smcAvailable() {
        return spi.smc().smcSockets();
    }

    /** Why TCP channels are plain TCP sockets, when they are. */
    public Optional<String> smcUnavailabilityCause() {
        return spi.smc().smcUnavailabilityCause();
    }

    /** Which Netty transport runs underneath (epoll or NIO) and why, e.g. "NIO: Netty native epoll unavailable here (...)". */
    public String nettyTransportReason() {
        return spi.smc().transportReason();
    }

    /** The policy this transport follows. */
    public SmcPolicy policy() {
        return spi.smc().policy();
    }
}
