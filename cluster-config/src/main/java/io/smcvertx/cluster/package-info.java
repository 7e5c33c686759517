/** One signed, versioned SMC configuration for the fleet, and its reconciliation on each host. */
package io.smcvertx.cluster;
