/** A send/receive ping-pong over DiSNI verbs, TCP and SMC between two hosts, measured side by side in one JVM. */
package io.smcvertx.disni.pingpong;
