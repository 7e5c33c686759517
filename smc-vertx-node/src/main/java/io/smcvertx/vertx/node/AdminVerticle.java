package io.smcvertx.vertx.node;

import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.vertx.SmcConnections;
import io.smcvertx.vertx.SmcServerOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node's admin endpoint: {@code GET /status}, {@code /connections}, {@code /metrics}. Kernel
 * queries (netlink) block, so they run on a worker thread, never on the event loop.
 */
final class AdminVerticle extends VerticleBase {

    private final NodeOptions options;
    private final SmcConnections connections;
    private final KernelInfo kernel;
    private final Supplier<JsonObject> cluster;
    private final NodeMetrics metrics;
    private final OperatorView operator;
    private HttpServer server;

    /**
     * {@code metrics} and {@code operator} are built by the caller, off the event loop (the
     * metrics binder reads the kernel once).
     */
    AdminVerticle(NodeOptions options, SmcConnections connections, NodeMetrics metrics, KernelInfo kernel,
            Supplier<JsonObject> cluster, OperatorView operator) {
        this.operator = operator;
        this.options = options;
        this.metrics = metrics;
        this.connections = connections;
        this.kernel = kernel;
        this.cluster = cluster;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.get("/status").handler(this::status);
        router.get("/connections").handler(this::connections);
        router.get("/metrics").handler(this::metrics);
        server = vertx.createHttpServer();
        return server.requestHandler(router).listen(options.adminPort(), options.adminHost());
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.shutdown(Duration.ofSeconds(1));
    }

    private void status(RoutingContext rc) {
        vertx.executeBlocking(this::statusJson, false)
                .onSuccess(json -> rc.response().putHeader("content-type", "application/json").end(json.encodePrettily()))
                .onFailure(rc::fail);
    }

    JsonObject statusJson() {
        JsonObject smc = new JsonObject()
                .put("available", connections.smcAvailable())
                .put("cause", connections.smcUnavailabilityCause().orElse(null))
                .put("mode", connections.policy().mode().name())
                .put("nettyTransport", connections.nettyTransportReason())
                .put("policy", policyJson());
        JsonArray listeners = new JsonArray();
        Map<String, String> bound = connections.listeners();
        for (SmcServerOptions l : options.listeners()) {
            String address = (l.host().indexOf(':') >= 0 ? "[" + l.host() + "]" : l.host()) + ":" + l.port();
            listeners.add(new JsonObject()
                    .put("name", l.name())
                    .put("protocol", l.protocol().name().toLowerCase(java.util.Locale.ROOT))
                    .put("address", address)
                    .put("tls", l.tls() != null)
                    .put("handler", l.handlerName())
                    .put("instances", l.instances())
                    .put("listening", bound.getOrDefault(address, "not bound")));
        }
        JsonObject conns = new JsonObject()
                .put("open", connections.open().size())
                .put("openByMode", toJson(connections.openByMode()))
                .put("totalByMode", toJson(connections.totalByMode()))
                .put("fallbacksByReason", toJson(connections.fallbacksByReason()))
                .put("requiredClosedByReason", toJson(connections.requiredClosedByReason()));
        return new JsonObject()
                .put("smc", smc)
                .put("kernel", kernel.features())
                .put("admin", "http://" + options.adminHost() + ":" + options.adminPort())
                .put("listeners", listeners)
                .put("connections", conns)
                .put("cluster", cluster.get())
                .put("rdma", OperatorView.rdmaJson())
                .put("doctor", operator.doctorJson());
    }

    private JsonObject policyJson() {
        JsonArray ls = new JsonArray();
        connections.policy().listeners().forEach(r -> ls.add(new JsonObject().put("host", r.host()).put("port", r.port()).put("use", r.use().name())));
        JsonArray ds = new JsonArray();
        connections.policy().destinations().forEach(r -> ds.add(new JsonObject().put("cidr", r.cidr()).put("port", r.port()).put("use", r.use().name())));
        return new JsonObject().put("listeners", ls).put("destinations", ds).put("default", "SMC");
    }

    private static JsonObject toJson(Map<?, Long> map) {
        JsonObject json = new JsonObject();
        map.forEach((k, v) -> json.put(String.valueOf(k), v));
        return json;
    }

    private void connections(RoutingContext rc) {
        JsonArray all = new JsonArray();
        for (SmcConnectionInfo i : connections.open()) {
            JsonObject c = new JsonObject()
                    .put("side", i.side().name())
                    .put("local", i.local())
                    .put("remote", i.remote())
                    .put("mode", i.mode().name());
            if (i.mode() == ConnectionMode.FALLBACK_TCP) {
                c.put("fallbackReason", i.fallbackReasonHex()).put("fallbackReasonName", i.fallbackReasonName());
            }
            if (i.peerDiagnosis() != 0) {
                c.put("peerDiagnosis", i.peerDiagnosisHex()).put("peerDiagnosisName", i.peerDiagnosisName());
            }
            if (!i.note().isEmpty()) {
                c.put("note", i.note());
            }
            all.add(c);
        }
        rc.response().putHeader("content-type", "application/json").end(all.encodePrettily());
    }

    private void metrics(RoutingContext rc) {
        vertx.executeBlocking(metrics::scrape, false)
                .onSuccess(text -> rc.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(text))
                .onFailure(rc::fail);
    }
}
