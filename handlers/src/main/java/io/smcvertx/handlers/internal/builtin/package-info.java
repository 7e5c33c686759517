/** The handlers that ship with smc-vertx, registered by name like any third-party handler. */
package io.smcvertx.handlers.internal.builtin;
