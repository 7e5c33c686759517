/** SMC setup checks from IBM's "Setting up the SMC support" and the kernel's own rules, each finding with its evidence and its fix. */
package io.smcvertx.transport.doctor;
