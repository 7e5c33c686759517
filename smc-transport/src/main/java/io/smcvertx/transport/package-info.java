/** SMC sockets for the JVM: what the kernel offers, and channels that use it. */
package io.smcvertx.transport;
