package io.smcvertx.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * A Netty echo server and a client that streams a deterministic byte sequence through it and
 * checks what comes back by length and CRC32. Both sides respect writability, so any size can be
 * streamed with bounded memory.
 */
final class Echo {

    /** What one client saw. */
    record Result(long bytes, long sentCrc, long echoedCrc, Channel client) {
        boolean intact() {
            return sentCrc == echoedCrc;
        }
    }

    private Echo() {
    }

    /** Binds an echo server; children get {@code childDecorator} applied before the echo handler. */
    static Channel server(EventLoopGroup group, ChannelFactory<? extends ServerSocketChannel> factory, InetAddress host,
            Function<Channel, ChannelHandler> childFirst, java.util.Collection<Channel> children) throws InterruptedException {
        return new ServerBootstrap()
                .group(group)
                .channelFactory(factory)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (children != null) {
                            children.add(ch);
                        }
                        if (childFirst != null) {
                            ch.pipeline().addLast(childFirst.apply(ch));
                        }
                        ch.pipeline().addLast(new EchoHandler());
                    }
                })
                .bind(new InetSocketAddress(host, 0)).sync().channel();
    }

    static Channel server(EventLoopGroup group, ChannelFactory<? extends ServerSocketChannel> factory, InetAddress host)
            throws InterruptedException {
        return server(group, factory, host, null, null);
    }

    /** Streams {@code total} bytes through the server at {@code address} and waits for all of them to return. */
    static Result stream(EventLoopGroup group, ChannelFactory<? extends SocketChannel> factory, InetSocketAddress address,
            long total, long timeoutSeconds) throws Exception {
        return stream(group, factory, address, total, null, timeoutSeconds);
    }

    static Result stream(EventLoopGroup group, ChannelFactory<? extends SocketChannel> factory, InetSocketAddress address,
            long total, Function<Channel, ChannelHandler> first, long timeoutSeconds) throws Exception {
        Streamer streamer = new Streamer(total);
        Channel ch = new Bootstrap()
                .group(group)
                .channelFactory(factory)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        if (first != null) {
                            c.pipeline().addLast(first.apply(c));
                        }
                        c.pipeline().addLast(streamer);
                    }
                })
                .connect(address).sync().channel();
        try {
            long echoed = streamer.done.get(timeoutSeconds, TimeUnit.SECONDS);
            return new Result(echoed, streamer.sentCrc.getValue(), streamer.echoedCrc.getValue(), ch);
        } catch (Exception e) {
            ch.close();
            throw e;
        }
    }

    /** Writes back whatever it reads, and stops reading while the peer is not keeping up. */
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Sends {@code total} bytes cut from a 4 MiB xorshift block at a moving offset (so the stream
     * has no short period), in 64 KiB chunks while writable; sums up what comes back. Built once
     * and sliced without copies: the lab guest is emulated, and per-byte work there costs minutes.
     */
    static final class Streamer extends ChannelInboundHandlerAdapter {
        private static final int CHUNK = 64 * 1024;
        private static final byte[] BLOCK = block(4 << 20);
        final CompletableFuture<Long> done = new CompletableFuture<>();
        final CRC32 sentCrc = new CRC32();
        final CRC32 echoedCrc = new CRC32();
        private final long total;
        private long sent;
        private long received;
        private int offset;

        Streamer(long total) {
            this.total = total;
        }

        private static byte[] block(int size) {
            byte[] b = new byte[size];
            long state = 0x9E3779B97F4A7C15L;
            for (int i = 0; i < size; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[i] = (byte) state;
            }
            return b;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            pump(ctx);
            ctx.fireChannelActive();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        private void pump(ChannelHandlerContext ctx) {
            boolean wrote = false;
            while (sent < total && ctx.channel().isWritable()) {
                int n = (int) Math.min(CHUNK, total - sent);
                sentCrc.update(BLOCK, offset, n);
                ctx.write(io.netty.buffer.Unpooled.wrappedBuffer(BLOCK, offset, n))
                        .addListener(f -> {
                            if (!f.isSuccess()) {
                                done.completeExceptionally(f.cause());
                            }
                        });
                offset = (offset + n + 13) % (BLOCK.length - CHUNK);
                sent += n;
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                int n = buf.readableBytes();
                for (java.nio.ByteBuffer b : buf.nioBuffers()) {
                    echoedCrc.update(b);
                }
                received += n;
                if (received > total) {
                    done.completeExceptionally(new IllegalStateException("echoed " + received + " > sent " + total));
                } else if (received == total) {
                    done.complete(received);
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new IllegalStateException("closed after " + received + " of " + total + " bytes"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }
}
