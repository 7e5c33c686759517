/** The Vert.x adapter's moving parts (the transport SPI over smc-netty, handler binding, JSON field checks), hidden behind the public facade and shared only with the node. */
package io.smcvertx.vertx.internal;
