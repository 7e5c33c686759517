/** SMC for any Netty stack: channel factories over epoll or NIO, the policy, REQUIRED enforcement and the per-connection tracker. */
package io.smcvertx.netty;
