/**
 * Protocol handlers for smc-vertx listeners: the SPI, the Vert.x-to-Mutiny bridge, framing
 * operators and the built-in handlers ({@code echo}, {@code kv}, {@code relay}, {@code http}).
 */
module io.smcvertx.handlers {
    requires transitive io.smcvertx.transport; // ConnectionInfo carries its SmcConnectionInfo
    requires transitive io.smallrye.mutiny;
    requires transitive io.vertx.core;
    requires transitive io.vertx.web;
    requires io.netty.buffer; // Frame.asReadOnlyBuffer wraps its array without copying; the relay splices ByteBufs
    requires io.netty.common; // ReferenceCountUtil: the splice releases what it does not pass on
    requires io.netty.transport; // the splice stops a channel's reads (autoRead) while the other side is full
    requires io.smcvertx.netty; // the relay's kernel splice (ChannelSplice)
    requires io.netty.handler; // ... which a ChunkedWriteHandler does not rule out (TLS, idle timers, loggers do)

    exports io.smcvertx.handlers;
    exports io.smcvertx.handlers.spi;
    exports io.smcvertx.handlers.codec;
    exports io.smcvertx.handlers.bridge;

    uses io.smcvertx.handlers.spi.ProtocolHandlerFactory;
    uses io.smcvertx.handlers.spi.HttpHandlerFactory;

    provides io.smcvertx.handlers.spi.ProtocolHandlerFactory with
            io.smcvertx.handlers.internal.builtin.EchoHandlerFactory,
            io.smcvertx.handlers.internal.builtin.KvHandlerFactory,
            io.smcvertx.handlers.internal.builtin.RelayHandlerFactory;
    provides io.smcvertx.handlers.spi.HttpHandlerFactory with
            io.smcvertx.handlers.internal.builtin.HttpRouterFactory;
}
