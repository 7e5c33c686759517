package io.smcvertx.netty;

import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * A Netty NIO listener whose accepted children are {@link SmcNioSocketChannel}s, so their
 * descriptors (and inodes) stay reachable. Accepting is what Netty's own does.
 */
final class SmcNioServerSocketChannel extends NioServerSocketChannel {

    SmcNioServerSocketChannel(java.nio.channels.ServerSocketChannel socket) {
        super(socket);
    }

    int fd() {
        return JdkDescriptors.fd(javaChannel());
    }

    @Override
    protected int doReadMessages(List<Object> buf) throws Exception {
        SocketChannel child = javaChannel().accept();
        if (child == null) {
            return 0;
        }
        try {
            buf.add(new SmcNioSocketChannel(this, child));
            return 1;
        } catch (RuntimeException | Error t) {
            // one bad connection must not close the listener (a thrown error would): drop it, report it
            try {
                child.close();
            } catch (java.io.IOException closeFailure) {
                t.addSuppressed(closeFailure);
            }
            pipeline().fireExceptionCaught(t);
            return 0;
        }
    }
}
