/** What the upgrade is made of: bpf(2) through FFM, the BTF reader, the program and its encoding. */
package io.smcvertx.bpf.internal;
