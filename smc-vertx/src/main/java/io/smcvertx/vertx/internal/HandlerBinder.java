package io.smcvertx.vertx.internal;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.util.Set;

/** Turns a handler config ({@code name} + options) into what a listener serves with. */
public interface HandlerBinder {

    /** Names usable on TCP listeners. */
    Set<String> tcpNames();

    /** Names usable on HTTP listeners. */
    Set<String> httpNames();

    /** A connection handler for a TCP listener; {@code path} names the config in errors. */
    Handler<NetSocket> tcp(Vertx vertx, JsonObject config, String path);

    /** A request handler for an HTTP listener; {@code path} names the config in errors. */
    Handler<HttpServerRequest> http(Vertx vertx, JsonObject config, String path);
}
