/** The protocol-handler SPI: a connection as a reactive stream of frames. */
package io.smcvertx.handlers;
