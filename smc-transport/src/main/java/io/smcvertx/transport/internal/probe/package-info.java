/** Finds out once what the running kernel offers for SMC, from system calls, sysfs and procfs. */
package io.smcvertx.transport.internal.probe;
