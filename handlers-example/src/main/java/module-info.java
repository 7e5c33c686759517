/** A third-party handler jar: provides the {@code reverse} handler to smc-vertx nodes. */
module io.smcvertx.handlers.example {
    requires io.smcvertx.handlers;

    provides io.smcvertx.handlers.spi.ProtocolHandlerFactory with io.smcvertx.handlers.example.ReverseHandlerFactory;
}
