/** Netlink over FFM: message and attribute codecs, generic netlink, and the SMC families behind {@code SmcSystem}. */
package io.smcvertx.transport.internal.netlink;
