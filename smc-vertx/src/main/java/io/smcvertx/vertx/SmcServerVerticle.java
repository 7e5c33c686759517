package io.smcvertx.vertx;

import io.smcvertx.vertx.internal.HandlerBinder;
import io.smcvertx.vertx.internal.Handlers;
import io.smcvertx.vertx.internal.SmcServerVerticles;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TCPSSLOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Owns one listener (TCP or HTTP, optionally TLS) described by its JSON {@code config()} (see
 * {@link SmcServerOptions}) and serves it with the protocol handler the config names. Deploy N
 * instances to share the port, as with any Vert.x server; undeploy stops accepting, lets open
 * connections finish for {@code drainSeconds}, then closes them.
 *
 * <pre>{@code
 * vertx.deployVerticle(SmcServerVerticle::new, new DeploymentOptions().setInstances(4).setConfig(
 *     new JsonObject().put("protocol", "tcp").put("port", 7007).put("handler", new JsonObject().put("name", "echo"))));
 * }</pre>
 */
public class SmcServerVerticle extends VerticleBase {

    static {
        SmcServerVerticles.factory(SmcServerVerticle::new);
    }

    private final HandlerBinder binder;
    private SmcServerOptions options;
    private NetServer netServer;
    private HttpServer httpServer;

    public SmcServerVerticle() {
        this(Handlers.binder());
    }

    SmcServerVerticle(HandlerBinder binder) {
        this.binder = binder;
    }

    @Override
    public Future<?> start() {
        try {
            options = new SmcServerOptions(config(), "config");
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        try {
            return switch (options.protocol()) {
                case TCP -> startTcp();
                case HTTP -> startHttp();
            };
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
    }

    private Future<?> startTcp() {
        NetServerOptions o = new NetServerOptions();
        configure(o);
        netServer = vertx.createNetServer(o).connectHandler(binder.tcp(vertx, options.handler(), "config.handler"));
        return netServer.listen(options.port(), options.host());
    }

    private Future<?> startHttp() {
        HttpServerOptions o = new HttpServerOptions();
        configure(o);
        httpServer = vertx.createHttpServer(o).requestHandler(binder.http(vertx, options.handler(), "config.handler"));
        return httpServer.listen(options.port(), options.host());
    }

    private void configure(TCPSSLOptions o) {
        if (options.idleTimeoutSeconds() > 0) {
            o.setIdleTimeout(options.idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS);
        }
        SmcServerOptions.Tls tls = options.tls();
        if (tls != null) {
            o.setSsl(true)
                    .setKeyCertOptions(new PfxOptions().setPath(tls.keyStore()).setPassword(tls.keyStorePassword()))
                    .setSslHandshakeTimeout(tls.handshakeTimeoutSeconds())
                    .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
        }
    }

    @Override
    public Future<?> stop() {
        Duration drain = Duration.ofSeconds(options == null ? 0 : options.drainSeconds());
        if (netServer != null) {
            return netServer.shutdown(drain);
        }
        if (httpServer != null) {
            return httpServer.shutdown(drain);
        }
        return Future.succeededFuture();
    }

    /** The options this instance runs with, once started. */
    public SmcServerOptions options() {
        return options;
    }

    /** The bound port (useful with port 0 in tests), once started. */
    public int actualPort() {
        return netServer != null ? netServer.actualPort() : httpServer != null ? httpServer.actualPort() : -1;
    }
}
