/** {@code smcctl cluster}: the fleet configuration seen and changed from a shell, through a running member. */
package io.smcvertx.cli.cluster;
