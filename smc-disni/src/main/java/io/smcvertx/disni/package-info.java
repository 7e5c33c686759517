/** Whether an IPv4 address can carry RDMA verbs through DiSNI, found without ever poisoning DiSNI in this JVM. */
package io.smcvertx.disni;
