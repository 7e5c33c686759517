package io.smcvertx.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;

/** The two sides of every transport ratio: Vert.x's stock epoll transport and ours. */
final class Transports {
    private Transports() {}

    static Vertx vertx(String variant) {
        return switch (variant) {
            case "stock" -> {
                if (!Transport.EPOLL.available()) {
                    throw new IllegalStateException("epoll unavailable: " + Transport.EPOLL.unavailabilityCause());
                }
                yield Vertx.builder().with(options()).withTransport(Transport.EPOLL).build();
            }
            case "smc" -> vertx(SmcSubject.transport());
            case "smc-off" -> vertx(SmcSubject.disabled());
            default -> throw new IllegalArgumentException("`transport` must be stock, smc or smc-off, got " + variant);
        };
    }

    static Vertx vertx(Transport transport) {
        return Vertx.builder().with(options()).withTransport(transport).build();
    }

    private static VertxOptions options() {
        // one event loop per server process: the machines have 2 cores and the load generator needs one
        return new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true);
    }
}
