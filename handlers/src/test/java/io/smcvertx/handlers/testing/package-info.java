/** Test support for handler authors: run a handler without a socket and assert on its output. */
package io.smcvertx.handlers.testing;
