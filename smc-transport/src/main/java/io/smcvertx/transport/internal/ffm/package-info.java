/** The project's only door to libc: downcall handles over java.lang.foreign, with errno kept. */
package io.smcvertx.transport.internal.ffm;
