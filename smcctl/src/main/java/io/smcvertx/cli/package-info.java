/** smcctl, the operator's command line over the kernel's SMC control plane and the cluster store. */
package io.smcvertx.cli;
