/** The Vert.x transport's moving parts (channel wrapping, connection tracking), hidden behind the public facade. */
package io.smcvertx.vertx.internal;
