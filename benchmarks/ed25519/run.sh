#!/usr/bin/env bash
# Ed25519 side by side: the JDK's vs OpenSSL's libcrypto through FFM (cluster-config's two
# implementations), sign / verify with a prepared key / one-shot verify, same rounds, A/A floor.
# Usage: benchmarks/ed25519/run.sh [rounds=20] [ops_per_batch=300] [message_bytes=600]
# Env: BENCH_SKIP_BUILD=1 (reuse the last build of cluster-config).
# Writes benchmarks/results/ed25519/ed25519-<UTC time>.txt. Not a test: nothing asserts a time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
java_home="${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
rounds="${1:-20}" ops="${2:-300}" size="${3:-600}"
cd "$root"
mkdir -p "$here/target/classes"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -d "$root/cluster-config/target/classes" ]; then
  mvn -B -q -pl cluster-config -am package -DskipTests  # one reactor run, nothing installed
fi
cp="$root/cluster-config/target/classes"
"$java_home/bin/javac" -proc:none -d "$here/target/classes" -cp "$cp" "$here/Ed25519Bench.java"
"$java_home/bin/java" --enable-native-access=ALL-UNNAMED -Xmx256m -cp "$here/target/classes:$cp" Ed25519Bench \
  "$rounds" "$ops" "$size" "$root/benchmarks/results/ed25519/ed25519-$(date -u +%Y%m%dT%H%M%SZ).txt"
