package io.smcvertx.netty;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** A Netty NIO socket channel that lets this package read its descriptor (for the inode). */
final class SmcNioSocketChannel extends NioSocketChannel {

    SmcNioSocketChannel(java.nio.channels.SocketChannel socket) {
        super(socket);
    }

    SmcNioSocketChannel(Channel parent, java.nio.channels.SocketChannel socket) {
        super(parent, socket);
    }

    int fd() {
        return JdkDescriptors.fd(javaChannel());
    }
}
