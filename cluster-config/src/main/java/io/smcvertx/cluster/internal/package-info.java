/** The store's and the reconciler's machinery (status JSON, planning, crash-safe files, fault points); not exported. */
package io.smcvertx.cluster.internal;
