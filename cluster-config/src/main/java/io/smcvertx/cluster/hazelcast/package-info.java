/** The fleet configuration store on Hazelcast maps, and how the fleet's members and client nodes are set up. */
package io.smcvertx.cluster.hazelcast;
