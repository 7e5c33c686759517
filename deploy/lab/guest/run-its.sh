#!/usr/bin/env bash
# Guest harness (run it with deploy/lab/run-in-vm.sh): prepares kernel SMC, runs the lab self-test,
# then every *IT class of the project in ONE JVM with the JUnit Platform console launcher.
#
#   run-its.sh [--module NAME]... [--select-class FQCN]... [--selftest-only] [--no-selftest]
#
# Prepared before any test: smc + smc_diag loaded (hard failure if either does not load), lo up,
# UEID SMCVERTX-LAB added (SMC-Dv2 over loopback-ISM needs one off s390).
# Classpath: every module's target/test-classes + target/classes + target/lab-lib/*.jar (staged on
# the host by `mvn verify`, see the parent pom), launcher from target/lab-launcher/.
# Results: $LAB_RUNDIR/junit/TEST-*.xml (the run dir comes back to the host).
# Env: LAB_SKIP_SMC=1 skips `modprobe smc` (breaks the guest on purpose: the run must FAIL);
#      LAB_JVM_OPTS replaces the default JIT/GC options; LAB_IT_TIMEOUT (s, default 1500).
set -uo pipefail
REPO=${LAB_REPO:?run this in the lab guest via deploy/lab/run-in-vm.sh}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
JAVA=${LAB_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
REPORTS=$LAB_RUNDIR/junit
MODULES=() CLASSES=() SELFTEST=1 ITS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --module) MODULES+=("$2"); shift 2;;
    --select-class) CLASSES+=("$2"); shift 2;;
    --selftest-only) ITS=0; shift;;
    --no-selftest) SELFTEST=0; shift;;
    *) echo "run-its: unknown argument $1" >&2; exit 2;;
  esac
done
t() { cut -d' ' -f1 /proc/uptime; }
mkdir -p "$REPORTS"

echo "run-its: == kernel SMC ($(uname -r), tree ${LAB_TREE:-?})"
if [ "${LAB_SKIP_SMC:-0}" = 1 ]; then
  echo "run-its: LAB_SKIP_SMC=1: NOT loading smc (this run must fail)"
else
  modprobe smc || { echo "run-its: FAIL: modprobe smc failed"; exit 10; }
fi
modprobe smc_diag || { echo "run-its: FAIL: modprobe smc_diag failed"; exit 10; }
grep -E '^(smc|smc_diag) ' /proc/modules || { echo "run-its: FAIL: smc/smc_diag not in /proc/modules"; exit 10; }
ip link set lo up
$PY "$HERE/labtool.py" ueid add SMCVERTX-LAB || { echo "run-its: FAIL: cannot add UEID SMCVERTX-LAB"; exit 11; }
dmesg | grep -iE 'smc|ism' | tail -3

if [ "$SELFTEST" = 1 ]; then
  echo "run-its: == lab self-test (labtool.py selftest) at $(t)s"
  $PY "$HERE/labtool.py" selftest --junit "$REPORTS/TEST-lab.selftest.xml" \
    || { echo "run-its: FAIL: lab self-test failed"; exit 12; }
fi
[ "$ITS" = 1 ] || exit 0

echo "run-its: == discovering *IT classes at $(t)s"
CP=(); SEL=(); declare -A JARS=()
for pom in "$REPO"/*/pom.xml; do
  m=$(dirname "$pom"); name=$(basename "$m")
  [ -d "$m/target/classes" ] && CP+=("$m/target/classes")
  [ -d "$m/target/test-classes" ] && CP+=("$m/target/test-classes")
  for j in "$m"/target/lab-lib/*.jar; do [ -f "$j" ] && JARS[$(basename "$j")]=$j; done
  if [ ${#MODULES[@]} -gt 0 ] && [[ " ${MODULES[*]} " != *" $name "* ]]; then continue; fi
  n=0
  if [ -d "$m/target/test-classes" ]; then
    while IFS= read -r c; do SEL+=(--select-class "$c"); n=$((n + 1)); done < <(
      cd "$m/target/test-classes" && find . -name '*IT.class' ! -name '*$*' | sed 's|^\./||; s|\.class$||; s|/|.|g' | sort)
  fi
  echo "run-its:   $name: $n IT class(es)"
done
for j in "${JARS[@]}"; do CP+=("$j"); done
if [ ${#CLASSES[@]} -gt 0 ]; then   # explicit classes replace the discovered ones
  SEL=(); for c in "${CLASSES[@]}"; do SEL+=(--select-class "$c"); done
fi
if [ ${#SEL[@]} -eq 0 ]; then
  echo "run-its: FAIL: no *IT classes found (did mvn verify run on the host?)"; exit 13
fi
LAUNCHER=$(ls "$REPO"/target/lab-launcher/junit-platform-console-standalone-*.jar 2>/dev/null | head -1)
[ -n "$LAUNCHER" ] || { echo "run-its: FAIL: no JUnit console launcher in $REPO/target/lab-launcher (run mvn verify)"; exit 13; }
# the parent pom's smc.jvm.flags: FFM native access + Hazelcast's add-opens, the same as surefire
read -r -a FLAGS < <($PY - "$REPO/pom.xml" <<'PYEOF'
import sys, xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
print(ET.parse(sys.argv[1]).getroot().find("m:properties/m:smc.jvm.flags", ns).text.strip())
PYEOF
)
# under TCG the JIT is what costs: C1 only and the serial GC cut JVM start-up roughly in half
read -r -a OPTS <<< "${LAB_JVM_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss1m}"
echo "run-its: == JUnit ($((${#SEL[@]} / 2)) class(es), one JVM) at $(t)s"
echo "run-its: classpath: ${#CP[@]} entries"; printf '%s\n' "${CP[@]}" > "$LAB_RUNDIR/classpath.txt"
timeout "${LAB_IT_TIMEOUT:-1500}" "$JAVA" -Dsmcvertx.lab=true "${FLAGS[@]}" "${OPTS[@]}" \
  -jar "$LAUNCHER" execute --class-path "$(IFS=:; echo "${CP[*]}")" "${SEL[@]}" \
  --details=tree --disable-banner --disable-ansi-colors --reports-dir "$REPORTS" --fail-if-no-tests
rc=$?
[ $rc = 124 ] && echo "run-its: FAIL: JUnit still running after ${LAB_IT_TIMEOUT:-1500} s"
echo "run-its: JUnit exited rc=$rc at $(t)s"
exit $rc
