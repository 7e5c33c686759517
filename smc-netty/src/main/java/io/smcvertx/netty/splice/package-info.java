/** Splicing two connected Netty epoll sockets in the kernel, so a proxy's bytes never enter the JVM. */
package io.smcvertx.netty.splice;
