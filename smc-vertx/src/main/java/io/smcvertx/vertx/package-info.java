/** Vert.x on SMC: the transport, listener verticles and the node. */
package io.smcvertx.vertx;
