/** The runnable node: config file, embedded Hazelcast, listeners and the admin endpoint. */
package io.smcvertx.vertx.node;
