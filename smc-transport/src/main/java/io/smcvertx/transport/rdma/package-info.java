/** RDMA devices and ports as SMC-R needs them, read from sysfs and, when installed, libibverbs through FFM: no JNI. */
package io.smcvertx.transport.rdma;
