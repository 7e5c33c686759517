/** The Quarkus extension's build steps: the Vert.x options hook and the beans it registers. */
package io.smcvertx.quarkus.deployment;
