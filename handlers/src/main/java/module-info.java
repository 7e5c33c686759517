module io.smcvertx.handlers {
    requires transitive io.smallrye.mutiny;
    requires transitive io.vertx.core;
    requires static io.vertx.web;
}
