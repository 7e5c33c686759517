/** What the handlers module's own packages share without exporting it: a frame over bytes handed over, without a copy. */
package io.smcvertx.handlers.internal;
