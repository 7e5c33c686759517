/** The custom handler shown in the handlers README, compiled and tested here. */
package io.smcvertx.handlers.examples;
