/** Framing operators that turn raw reads into protocol frames and back, with hard size limits. */
package io.smcvertx.handlers.codec;
