/** Vert.x 4.5 (Quarkus 3) over SMC: the transport and the per-connection view. */
package io.smcvertx.vertx4;
