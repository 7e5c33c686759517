/** Reactor Netty over SMC: loop resources whose TCP channels are the SMC layer's. */
package io.smcvertx.reactor;
