#!/usr/bin/env bash
# API baseline (issue 13 item 6): the public API of each published smc-vertx jar, as javap prints
# it (public types of the packages its module exports, their public and protected members:
# `javap -protected`), kept in deploy/api/<artifact>.api. There is no earlier release to compare
# with (japicmp's usual baseline), so the baseline is this recorded text: a change to the public
# API shows as a diff, and the check fails until the change is recorded on purpose.
#   api.sh check  JAR_DIR   compare the jars in JAR_DIR (as published: <artifact>-<version>*.jar) with the baseline
#   api.sh update JAR_DIR   record the baseline from them (then review `git diff deploy/api` and commit)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
JDK=/usr/lib/jvm/temurin-25-jdk-amd64
mode=${1:?check|update}; dir=${2:?directory of the published artifacts (io/smcvertx/...)}
ARTIFACTS=(smc-transport smc-netty smc-micrometer smc-bpf smc-handlers smc-cluster-config smcctl smc-vertx smc-vertx-node smc-disni smc-grpc smc-reactor-netty)

api_of() {   # api_of JAR: the public API text of the module in JAR
  local jar=$1 tmp pkgs=() classes=()
  mapfile -t pkgs < <("$JDK/bin/jar" --describe-module --file "$jar" | awk '$1 == "exports" {print $2}')
  for p in "${pkgs[@]}"; do
    mapfile -t -O "${#classes[@]}" classes < <("$JDK/bin/jar" --list --file "$jar" | grep -E "^${p//.//}/[^/]+\.class$" \
      | grep -vE '(module-info|package-info)\.class$' | sed 's/\.class$//; s#/#.#g' | sort)
  done
  [ ${#classes[@]} -gt 0 ] || return 0
  "$JDK/bin/javap" -protected -cp "$jar" "${classes[@]}" | /usr/bin/python3 -c '
import sys
blocks, cur = [], []
for line in sys.stdin:
    if line.startswith("Compiled from"):
        if cur: blocks.append(cur)
        cur = []
        continue
    cur.append(line.rstrip("\n"))
if cur: blocks.append(cur)
for b in blocks:
    if b and b[0].startswith("public "):   # public types only (package-private and anonymous classes are not API)
        print("\n".join(b))
'
}

rc=0
for a in "${ARTIFACTS[@]}"; do
  jar=$(ls "$dir/io/smcvertx/$a/"*/"$a"-*.jar 2>/dev/null | grep -vE -- '-(sources|tests|javadoc)\.jar$' | sort | tail -1 || true)
  [ -n "$jar" ] || { echo "api: $a: no published jar under $dir" >&2; rc=1; continue; }
  now=$(api_of "$jar")
  if [ "$mode" = update ]; then
    printf '%s\n' "$now" > "$HERE/$a.api"
    echo "api: $a: recorded $(grep -c '^public ' "$HERE/$a.api") public types"
  elif ! diff -u "$HERE/$a.api" <(printf '%s\n' "$now") > "/tmp/api-$a.diff"; then
    echo "api: $a: the public API changed against deploy/api/$a.api:"; cat "/tmp/api-$a.diff"; rc=1
  else
    echo "api: $a: unchanged ($(grep -c '^public ' "$HERE/$a.api") public types)"
  fi
done
[ $rc = 0 ] || echo "api: if the change is meant, run deploy/api/api.sh update <staging dir> and commit deploy/api/" >&2
exit $rc
