package io.smcvertx.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;

/** The two sides of every transport ratio: Vert.x's stock epoll transport and ours. */
final class Transports {
    private Transports() {}

    static Vertx vertx(String variant) {
        // one event loop per server process: the machines have 2 cores and the load generator needs one
        VertxOptions options = new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true);
        return switch (variant) {
            case "stock" -> {
                if (!Transport.EPOLL.available()) {
                    throw new IllegalStateException("epoll unavailable: " + Transport.EPOLL.unavailabilityCause());
                }
                yield Vertx.builder().with(options).withTransport(Transport.EPOLL).build();
            }
            case "smc" -> Vertx.builder().with(options).withTransport(SmcSubject.transport()).build();
            default -> throw new IllegalArgumentException("`transport` must be stock or smc, got " + variant);
        };
    }
}
