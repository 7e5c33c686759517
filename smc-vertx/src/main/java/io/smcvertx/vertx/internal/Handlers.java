package io.smcvertx.vertx.internal;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.util.Set;

/**
 * The handler binder of this build.
 *
 * <p>TEMPORARY: the handlers module (ProtocolHandlerFactory, the NetSocket bridge, the http
 * handler) is not merged yet, so no handler name is known and every listener config is rejected
 * with that said.
 */
public final class Handlers {

    private Handlers() {
    }

    public static HandlerBinder binder() {
        return new HandlerBinder() {
            @Override
            public Set<String> tcpNames() {
                return Set.of();
            }

            @Override
            public Set<String> httpNames() {
                return Set.of();
            }

            @Override
            public Handler<NetSocket> tcp(Vertx vertx, JsonObject config, String path) {
                throw JsonFields.error(path + ".name", "names no TCP handler: the handlers module is not built into this version");
            }

            @Override
            public Handler<HttpServerRequest> http(Vertx vertx, JsonObject config, String path) {
                throw JsonFields.error(path + ".name", "names no HTTP handler: the handlers module is not built into this version");
            }
        };
    }
}
