/** Netty channels whose descriptors are SMC sockets, for epoll and, where epoll is missing, JDK NIO. */
package io.smcvertx.transport.netty;
