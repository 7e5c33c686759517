/** Moving Netty's own read buffers from one socket to another, for handlers that never look at the bytes. */
package io.smcvertx.handlers.internal.splice;
