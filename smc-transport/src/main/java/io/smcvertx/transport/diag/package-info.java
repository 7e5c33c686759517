/**
 * The kernel's word on each SMC connection: an {@code smc_diag} reader that reports mode, fallback
 * reasons and buffer details by socket inode, and the one mode, per-connection record and counter
 * types every layer reports with.
 */
package io.smcvertx.transport.diag;
