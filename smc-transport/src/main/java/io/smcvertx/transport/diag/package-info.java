/** The kernel's word on each SMC connection: an {@code smc_diag} reader that reports mode, fallback reasons and buffer details by socket inode. */
package io.smcvertx.transport.diag;
