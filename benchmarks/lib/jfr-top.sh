#!/usr/bin/env bash
# jfr-top.sh FILE.jfr [N]: the N hottest top frames and the N hottest frames anywhere on the
# stack (inclusive) from JFR's jdk.ExecutionSample events: where a JVM subject spends its CPU.
set -euo pipefail
JFR=${BENCH_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jfr
N=${2:-15}
"$JFR" print --events jdk.ExecutionSample "$1" > "$1.samples.txt"
total=$(grep -c 'jdk.ExecutionSample' "$1.samples.txt" || true)
echo "samples: $total"
echo "-- top frames (self) --"
awk '/stackTrace = \[/ { getline; sub(/^ +/, ""); sub(/line:.*/, ""); print }' "$1.samples.txt" | sort | uniq -c | sort -rn | head -"$N"
echo "-- inclusive (any frame), io.smcvertx/io.vertx/io.smallrye only --"
awk '/stackTrace = \[/ { delete seen; insk = 1; next } insk && /^ +\]/ { insk = 0 }
     insk { l = $0; sub(/^ +/, "", l); sub(/line:.*/, "", l); if (l ~ /^(io\.smcvertx|io\.vertx|io\.smallrye)/ && !(l in seen)) { seen[l] = 1; print l } }' \
    "$1.samples.txt" | sort | uniq -c | sort -rn | head -"$N"
