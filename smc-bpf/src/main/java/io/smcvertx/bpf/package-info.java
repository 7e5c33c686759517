/** Transparent SMC for unmodified processes: probe, loader, cgroup selection and a system-wide view. */
package io.smcvertx.bpf;
