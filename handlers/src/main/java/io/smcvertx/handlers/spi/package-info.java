/** The service-provider interfaces through which handlers are found by name and configured from JSON. */
package io.smcvertx.handlers.spi;
