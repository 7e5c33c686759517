/** An example of a handler shipped outside smc-vertx, registered through the handler SPI. */
package io.smcvertx.handlers.example;
