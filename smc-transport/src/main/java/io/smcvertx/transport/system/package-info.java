/** The kernel's SMC configuration (PNET table, UEIDs, SEID, limits) in the kernel's own vocabulary. */
package io.smcvertx.transport.system;
