/** Vert.x read and write streams as Mutiny streams of frames, with demand-driven backpressure both ways. */
package io.smcvertx.handlers.bridge;
