#!/usr/bin/env bash
# Fleet scale in client mode: 3 Hazelcast member processes hold the store, NODES simulated client
# nodes (own client, store, signed status, state file, reconciler, in-memory kernel each) in JVMS
# JVMs; publish -> applied on every node, p50/p90/p99 over PUBLISHES publishes; memory per node.
# Usage: benchmarks/fleet-scale/run.sh [nodes=1000] [publishes=100] [jvms=4] [warmup=5]
# Env: SIM_HEAP (max heap per sim JVM, default 1536m), BENCH_SKIP_BUILD=1 (reuse the last build),
# SIM_JVM_OPTS (extra flags for the sim JVMs only, e.g. a JFR recording), IDLE_SECONDS (default 10: the sims'
# CPU with nothing published, taken before the measured publishes), SMCVERTX_ED25519=jdk|libcrypto (which
# Ed25519 every JVM uses; default: libcrypto where it loads).
# Writes benchmarks/results/fleet-scale/fleet-<nodes>-<UTC time>.txt (and prints it). Not a test:
# nothing here asserts a time; record the load (it is in the file) and rerun when the machine is quiet.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
java_home="${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
nodes="${1:-1000}" publishes="${2:-100}" jvms="${3:-4}" warmup="${4:-5}"
cd "$root"
mkdir -p "$here/target/classes"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$here/target/classpath.txt" ]; then
  # one reactor run, nothing installed; the in-memory kernel comes from smc-transport's test classes
  mvn -B -q -pl cluster-config -am package -DskipTests dependency:build-classpath \
    -Dmdep.outputFile="$here/target/classpath.txt" -Dmdep.includeScope=runtime
fi
cp="$root/cluster-config/target/classes:$root/smc-transport/target/classes:$root/smc-transport/target/test-classes:$(cat "$here/target/classpath.txt")"
"$java_home/bin/javac" -proc:none -d "$here/target/classes" -cp "$cp" "$here/FleetScale.java"
out="$root/benchmarks/results/fleet-scale/fleet-$nodes-$(date -u +%Y%m%dT%H%M%SZ).txt"
"$java_home/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Djava.util.logging.config.file="$here/logging.properties" \
  -cp "$here/target/classes:$cp" FleetScale coordinator "$nodes" "$publishes" "$jvms" "$warmup" "$out" "$here/target/classes:$cp"
