/** Micrometer meters for SMC connection counters and the kernel's SMC statistics. */
package io.smcvertx.micrometer;
