/** The fleet configuration store on Hazelcast maps, and a loopback-only member and client setup. */
package io.smcvertx.cluster.hazelcast;
