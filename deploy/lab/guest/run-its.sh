#!/usr/bin/env bash
# Guest harness (run it with deploy/lab/run-in-vm.sh): prepares kernel SMC, runs the lab self-test,
# then every *IT class of the project in ONE JVM with the JUnit Platform console launcher.
#
#   run-its.sh [--module NAME]... [--select-class FQCN]... [--tag TAG] [--selftest-only] [--no-selftest] [--no-ueid]
#
# --tag TAG runs only the IT classes tagged TAG (JUnit @Tag); without it, classes tagged "ibmz"
# (they need an IBM Z kernel: the s390x leg runs them with --tag ibmz) and "limits" (LimitsIT: 10,000
# connections, too long for CI under TCG; run by its own command, smc-vertx-node/README.md) are left out.
# Prepared before any test: smc + smc_diag loaded (hard failure if either does not load), lo up,
# UEID SMCVERTX-LAB added (SMC-Dv2 over loopback-ISM needs one off s390), unless --no-ueid: then the
# UEID table is emptied, so that on IBM Z SMC-Dv2 rests on the SEID alone.
# Java: LAB_JAVA (run-in-vm.sh sets the s390x guest's), else the host's Temurin 25.
# Classpath: every module's target/classes + target/test-classes + target/lab-lib/*.jar (staged on
# the host by `mvn verify`, see the parent pom); launcher from target/lab-launcher/ (its_plan.py).
# Results: $LAB_RUNDIR/junit/TEST-*.xml (the run dir comes back to the host).
# Order: classes annotated @Order run by it, before the others (which keep discovery order): a class
#        that must run first can say so (TransparentNoSmcIT unloads smc before anyone cached its ids).
# Env: LAB_SKIP_SMC=1 breaks the guest on purpose: smc is not loaded and module loading is disabled
#      (else socket(AF_SMC) would auto-load it); every stage still runs so each one's verdict is
#      seen, and the run must FAIL;
#      LAB_JVM_OPTS replaces the default JIT/GC options; LAB_IT_TIMEOUT (s, default 2400: all ITs took 1500+ s at load 21 once the transparent SMC ones came), LAB_TEST_TIMEOUT (per test, default 8m).
set -uo pipefail
REPO=${LAB_REPO:?run this in the lab guest via deploy/lab/run-in-vm.sh}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
JAVA=${LAB_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
REPORTS=$LAB_RUNDIR/junit
PLAN=() SELFTEST=1 ITS=1 UEID=1 TAGS=(--exclude-tag=ibmz --exclude-tag=limits)
while [ $# -gt 0 ]; do
  case "$1" in
    --module|--select-class) [ $# -ge 2 ] || { echo "run-its: $1 needs a value" >&2; exit 2; }
                             PLAN+=("$1" "$2"); shift 2;;
    --tag) [ $# -ge 2 ] || { echo "run-its: --tag needs a value" >&2; exit 2; }
           TAGS=(--include-tag="$2"); shift 2;;
    --selftest-only) ITS=0; shift;;
    --no-selftest) SELFTEST=0; shift;;
    --no-ueid) UEID=0; shift;;
    *) echo "run-its: unknown argument $1" >&2; exit 2;;
  esac
done
t() { cut -d' ' -f1 /proc/uptime; }
mkdir -p "$REPORTS"

BROKEN=0
fatal() {   # fatal RC MESSAGE: stop here, unless the guest is broken on purpose (then go on, fail at the end)
  echo "run-its: FAIL: $2"
  [ "${LAB_SKIP_SMC:-0}" = 1 ] || exit "$1"
  BROKEN=$1
}
echo "run-its: == kernel SMC ($(uname -r), tree ${LAB_TREE:-?}) at $(t)s"
if [ "${LAB_SKIP_SMC:-0}" = 1 ]; then
  echo "run-its: LAB_SKIP_SMC=1: NOT loading smc/smc_diag, module loading disabled (this run must fail)"
  echo 1 > /proc/sys/kernel/modules_disabled
else
  modprobe smc || fatal 10 "modprobe smc failed"
  modprobe smc_diag || fatal 10 "modprobe smc_diag failed"
fi
grep -E '^(smc|smc_diag) ' /proc/modules || fatal 10 "smc/smc_diag not in /proc/modules"
ip link set lo up
if [ "$UEID" = 1 ]; then
  $PY "$HERE/labtool.py" ueid add SMCVERTX-LAB || fatal 11 "cannot add UEID SMCVERTX-LAB"
else
  $PY "$HERE/labtool.py" ueid flush || fatal 11 "cannot empty the UEID table"
fi
$PY "$HERE/labtool.py" seid show || true

if [ "$SELFTEST" = 1 ]; then
  echo "run-its: == lab self-test (labtool.py selftest) at $(t)s"
  $PY "$HERE/labtool.py" selftest --junit "$REPORTS/TEST-lab.selftest.xml" || fatal 12 "lab self-test failed"
fi
[ "$ITS" = 1 ] || exit "$BROKEN"

echo "run-its: == planning the JUnit run at $(t)s"
$PY "$HERE/its_plan.py" "$REPO" "$LAB_RUNDIR" "${PLAN[@]}" || { echo "run-its: FAIL: nothing to run"; exit 13; }
LAUNCHER=$(echo "$REPO"/target/lab-launcher/junit-platform-console-standalone-*.jar)
[ -f "$LAUNCHER" ] || { echo "run-its: FAIL: no JUnit console launcher in $REPO/target/lab-launcher (run mvn verify)"; exit 13; }
# under TCG the JIT is what costs: C1 only and the serial GC cut JVM start-up a lot
read -r -a OPTS <<< "${LAB_JVM_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
echo "run-its: == JUnit, one JVM, at $(t)s"
# A test stuck in a blocking call must fail, not stall CI: each test runs in its own thread with a
# default timeout (tests may set their own), and the JVM gets SIGQUIT (a thread dump on the console)
# before it is killed. testfeed prints each test as it ends, so the console shows how far it got.
timeout --signal=QUIT --kill-after=30 "${LAB_IT_TIMEOUT:-2400}" "$JAVA" -Dsmcvertx.lab=true "@$LAB_RUNDIR/jvm.args" "${OPTS[@]}" \
  -jar "$LAUNCHER" execute "@$LAB_RUNDIR/junit.args" \
  --config=junit.jupiter.execution.timeout.default="${LAB_TEST_TIMEOUT:-8m}" \
  --config=junit.jupiter.execution.timeout.thread.mode.default=SEPARATE_THREAD \
  --config=junit.jupiter.testclass.order.default='org.junit.jupiter.api.ClassOrderer$OrderAnnotation' \
  --include-engine=junit-jupiter "${TAGS[@]}" --details=testfeed --disable-banner --disable-ansi-colors --reports-dir "$REPORTS" --fail-if-no-tests
rc=$?
[ $rc = 124 ] || [ $rc = 137 ] && echo "run-its: FAIL: JUnit still running after ${LAB_IT_TIMEOUT:-2400} s: killed (thread dump above)"
echo "run-its: JUnit exited rc=$rc at $(t)s"
[ "$BROKEN" = 0 ] || { echo "run-its: FAIL: the guest was broken on purpose (rc=$BROKEN), JUnit rc=$rc"; exit "$BROKEN"; }
exit $rc
