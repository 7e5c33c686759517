package io.smcvertx.grpc.example;

import io.grpc.Server;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.smcvertx.grpc.SmcGrpc;
import io.smcvertx.micrometer.SmcMeterBinder;
import io.smcvertx.netty.SmcNetty;
import io.smcvertx.netty.SmcPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The echo service on an SMC listener: one layer ({@link SmcNetty}), its groups, the gRPC server
 * and the SMC meters bound to a registry the way every stack binds them.
 */
public final class EchoServer implements AutoCloseable {

    private final SmcNetty smc;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final MeterRegistry registry;
    private final Server server;

    private EchoServer(SmcNetty smc, EventLoopGroup boss, EventLoopGroup workers, MeterRegistry registry, Server server) {
        this.smc = smc;
        this.boss = boss;
        this.workers = workers;
        this.registry = registry;
        this.server = server;
    }

    /** Starts the server on {@code address} (port 0: any free port) with {@code policy}; blocks until it listens. */
    public static EchoServer start(InetSocketAddress address, SmcPolicy policy) throws IOException {
        SmcNetty smc = SmcNetty.create(policy);
        MeterRegistry registry = new SimpleMeterRegistry();
        new SmcMeterBinder(smc.tracker()).bindTo(registry);   // the same line for Vert.x, gRPC, Reactor Netty
        EventLoopGroup boss = smc.newEventLoopGroup(1);
        EventLoopGroup workers = smc.newEventLoopGroup(Runtime.getRuntime().availableProcessors());
        try {
            Server server = SmcGrpc.serverBuilder(smc, address, boss, workers)
                    .addService(EchoService.definition(registry))
                    .build().start();
            return new EchoServer(smc, boss, workers, registry, server);
        } catch (IOException | RuntimeException e) {
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The SMC layer: tracker, transport, whether SMC sockets are made and why not. */
    public SmcNetty smc() {
        return smc;
    }

    /** The registry the SMC meters are bound to. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The port it listens on. */
    public int port() {
        return server.getPort();
    }

    /** Blocks until the server is shut down. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(60, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(60, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(60, TimeUnit.SECONDS);
    }
}
