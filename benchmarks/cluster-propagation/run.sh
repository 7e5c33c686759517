#!/usr/bin/env bash
# Publish -> applied on all members, p50/p99 over 200 publishes with 3 members.
# Usage: benchmarks/cluster-propagation/run.sh [publishes] [members] [warmup]
# Writes benchmarks/cluster-propagation/results/propagation-<UTC time>.txt (and prints it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
java_home="${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
mkdir -p "$here/target"
# one reactor run: the last module built (cluster-config) writes the class path; nothing is installed;
# the in-memory kernel fake comes from smc-transport's test classes (compiled, not run, by -DskipTests)
mvn -B -q -pl cluster-config -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile="$here/target/classpath.txt" -Dmdep.includeScope=runtime
mkdir -p "$here/results"
out="$here/results/propagation-$(date -u +%Y%m%dT%H%M%SZ).txt"
cp="$root/cluster-config/target/classes:$root/smc-transport/target/test-classes:$(cat "$here/target/classpath.txt")"
"$java_home/bin/java" --enable-native-access=ALL-UNNAMED \
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED \
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED \
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
  -Djava.util.logging.config.file="$root/cluster-config/src/test/resources/logging.properties" \
  -cp "$cp" "$here/PropagationBenchmark.java" "${1:-200}" "${2:-3}" "${3:-20}" "$out"
