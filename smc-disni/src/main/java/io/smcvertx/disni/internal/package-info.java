/** The checks behind the readiness verdict: the JVM's environment before DiSNI is touched, then DiSNI itself. */
package io.smcvertx.disni.internal;
