/** {@code DisniCheck}: the readiness verdict for addresses given on the command line, with expectations for scripts. */
package io.smcvertx.disni.cli;
