/** Vert.x over SMC sockets: the transport, per-connection SMC info, listener verticles and their options. */
package io.smcvertx.vertx;
