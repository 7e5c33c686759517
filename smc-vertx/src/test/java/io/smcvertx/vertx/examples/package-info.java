/** The README's examples, compiled and run (the node's lab ITs run them again in an SMC kernel). */
package io.smcvertx.vertx.examples;
