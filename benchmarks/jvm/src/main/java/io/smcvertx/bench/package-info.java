/** Benchmark subjects (servers started by the benchmark scripts) and JMH micro-benchmarks; never part of the default build. */
package io.smcvertx.bench;
