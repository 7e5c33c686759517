/** The Quarkus extension's runtime: config, the transport Vert.x loads, health, metrics, the per-request connection mode. */
package io.smcvertx.quarkus.runtime;
