/** Wire formats of this module (status JSON), kept out of the domain classes; not exported. */
package io.smcvertx.cluster.internal;
