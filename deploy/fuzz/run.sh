#!/usr/bin/env bash
# Fuzzes every @FuzzTest of the project with Jazzer (coverage-guided), one JVM per target: Jazzer
# fuzzes one target per run. Plain `mvn verify` already runs each target over its seeds (regression
# mode); this script searches for new inputs.
# Targets run FUZZ_JOBS at a time (default: the number of cores): most of a short run is each JVM's
# start and Jazzer's instrumentation, which one core does while the other fuzzes.
# Usage: deploy/fuzz/run.sh [DURATION] [FILTER]
#   DURATION  per target, Jazzer's syntax (30s, 10m, 1h); default 4s, the bounded run of CI
#             (deploy/lab/test-all.sh). The long run: deploy/fuzz/run.sh 10m
#   FILTER    grep -E on "module Class#method", e.g. 'netlink' or 'fleetConfigJson'
# Needs the host build (mvn verify: it stages each module's test class path in target/lab-lib).
# A crash: Jazzer writes the input into the target's seed directory
# (src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>), where every later `mvn verify`
# runs it as a regression test; commit it with the fix. Exit status 1 if any target failed.
set -uo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
JAVA="${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
duration=${1:-4s} filter=${2:-.}
launcher=$(ls "$REPO"/target/lab-launcher/junit-platform-console-standalone-*.jar 2>/dev/null | head -1)
[ -n "$launcher" ] || { echo "fuzz: no staged JUnit launcher in target/lab-launcher: run mvn verify first" >&2; exit 2; }
siblings=$(ls -d "$REPO"/*/target/classes | paste -sd:)
jobs=${FUZZ_JOBS:-$(nproc)} t_all=$(date +%s)
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
# one target: its verdict line(s) go to stdout at its end, so parallel targets never interleave
fuzz_one() {
  local module=$1 class=$2 method=$3 line="$1 $2#$3" cp log t0 rc execs
  cp="$REPO/$module/target/test-classes:$REPO/$module/target/classes:$siblings:$(ls "$REPO/$module"/target/lab-lib/*.jar | paste -sd:):$launcher"
  log="$REPO/$module/target/fuzz-$class-$method.log"
  t0=$(date +%s)
  # cwd and basedir = the module: Jazzer files crashes under its src/test/resources
  (cd "$REPO/$module" && JAZZER_FUZZ=1 "$JAVA" --enable-native-access=ALL-UNNAMED -XX:+EnableDynamicAgentLoading \
      --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED \
      -Djazzer.max_duration="$duration" -Djazzer.internal.basedir="$REPO/$module" -cp "$cp" \
      org.junit.platform.console.ConsoleLauncher execute --disable-banner --details=none \
      --select-class "$class" --include-methodname ".*#$method" >"$log" 2>&1)
  rc=$?
  execs=$(grep -Eo '#[0-9]+' "$log" | tail -1)
  if [ $rc = 0 ]; then
    echo "fuzz: PASS $line in $(( $(date +%s) - t0 ))s (${execs:-#?} inputs)"
  else
    touch "$results/failed-$class-$method"
    { echo "fuzz: FAIL $line (rc=$rc); log $log"
      grep -E '^(== Java Exception|Caused by|java\.|io\.smcvertx)|crash-' "$log" | head -8 | sed 's/^/fuzz:   /'; }
  fi
  touch "$results/ran-$class-$method"
}
while read -r module class method; do
  echo "$module $class#$method" | grep -Eq -- "$filter" || continue
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  fuzz_one "$module" "$class" "$method" &
done < <(cd "$REPO" && grep -rl --include='*FuzzTest.java' '@FuzzTest' */src/test/java | sort | while read -r f; do
  module=${f%%/src/test/java/*}
  class=$(echo "${f#*/src/test/java/}" | sed 's#/#.#g; s#\.java$##')
  awk '/@FuzzTest/{getline; if (match($0, /void [A-Za-z0-9_]+\(/)) print substr($0, RSTART + 5, RLENGTH - 6)}' "$f" \
    | while read -r m; do echo "$module $class $m"; done
done)
wait
ran=$(ls "$results" | grep -c '^ran-') failed=$(ls "$results" | grep -c '^failed-')
echo "fuzz: $ran target(s), $failed failed, ${duration} each, $jobs at a time, $(( $(date +%s) - t_all ))s in all"
[ $ran -gt 0 ] && [ $failed = 0 ]
