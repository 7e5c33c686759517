#!/usr/bin/env bash
# The IBM Z leg (run with deploy/lab/run-in-vm.sh --arch s390x): Debian's s390x kernel with
# loopback-ISM, the s390x JDK, SMC-Dv2 on the SEID alone (no UEID anywhere).
#   1. run-its.sh --no-ueid --tag ibmz: the lab self-test (SEID alone, the SEID switch; python
#      reader) and the IT classes tagged "ibmz" in one JVM (JUnit XML in <rundir>/junit/)
#   2. the node from the README's command and config: it starts, serves over SMC-D, and /status
#      shows the SEID the kernel reports (checked against the python reader)
# The node starts beside the JUnit JVM (right after smc is loaded) and is checked once JUnit is done:
# JVM start-up is what an s390x TCG guest spends its time on, and one JVM starting alone leaves a
# vCPU idle. Nothing of the node touches what the ITs change (no UEID, no SEID switch: its fleet
# config is off; its ports are fixed ones, the ITs' ephemeral), and /status reads the SEID live.
# rc 0 only if both pass. Needs the host build first (mvn verify).
set -uo pipefail
REPO=${LAB_REPO:?run this in the lab guest via deploy/lab/run-in-vm.sh --arch s390x}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$LAB_RUNDIR
t() { cut -d' ' -f1 /proc/uptime; }
. "$HERE/stop-node.sh"
# the launchers' own knobs: under TCG the JIT is what costs (C1 only and the serial GC, as run-its.sh uses)
export SMC_NODE_JAVA_OPTS=${SMC_NODE_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}
export SMCCTL_JAVA_OPTS=${SMCCTL_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}
echo "ibmz: kernel $(uname -r) on $(uname -m), java ${LAB_JAVA:-?}, uptime $(t)s"

cd "$REPO"
[ -f smc-vertx-node/target/smc-vertx-node.jar ] || { echo "ibmz: FAIL smc-vertx-node/target/smc-vertx-node.jar is missing: run mvn verify on the host"; exit 13; }
FAILED=0
fail() { echo "ibmz: FAIL $*"; FAILED=1; }
# smc first, so that the node's probe finds it (run-its.sh loads it again and fails hard if it cannot)
modprobe smc; modprobe smc_diag
echo "ibmz: == the node, from the README's command, started at $(t)s (checked after the ITs)"
JAVA_HOME=$(dirname "$(dirname "${LAB_JAVA:?}")") deploy/bin/smc-node --config deploy/examples/node.json > "$OUT/node.log" 2>&1 &
NODE=$!

# an s390x TCG JVM is about 2x slower than the amd64 guest's: per test and per run bounds to match
LAB_TEST_TIMEOUT=${LAB_TEST_TIMEOUT:-20m} LAB_IT_TIMEOUT=${LAB_IT_TIMEOUT:-3000} \
  bash "$HERE/run-its.sh" --no-ueid --tag ibmz "$@"; ITS=$?
echo "ibmz: run-its.sh rc=$ITS at $(t)s"

for _ in $(seq 900); do
  grep -q "smc-vertx node up" "$OUT/node.log" && break
  kill -0 "$NODE" 2>/dev/null || break
  sleep 1
done
echo "ibmz: node up (or gone) by $(t)s"
sed 's/^/  | /' "$OUT/node.log"
grep -q "SMC: available" "$OUT/node.log" || fail "the node did not start with SMC available"
curl -s --max-time 300 http://127.0.0.1:9400/status > "$OUT/status.json" || fail "GET /status"
curl -s --max-time 120 http://127.0.0.1:8080/health > "$OUT/health.json" || fail "GET /health"
KERNEL_SEID=$(/usr/bin/python3 "$HERE/labtool.py" seid show)
echo "ibmz: the kernel (python reader): $KERNEL_SEID"
/usr/bin/python3 - "$OUT/status.json" "$OUT/health.json" "$KERNEL_SEID" <<'PY' || fail "/status"
import json, sys
status, health, kernel = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
seid, by = status["kernel"]["seid"], status["connections"]["totalByMode"]
print("ibmz: /status smc.available=%s kernel.seid=%s connections=%s; /health %s" % (
    status["smc"]["available"], seid, by, health))
ok = (status["smc"]["available"] is True and seid["seid"] and seid["enabled"] is True
      and kernel == "SEID %s [enabled]" % seid["seid"] and health == {"status": "UP"})
sys.exit(0 if ok else 1)
PY
echo "ibmz: node checked at $(t)s"
stop_node "$NODE" ibmz
[ "$FAILED" = 0 ] && echo "ibmz: node from the README command: PASS"
[ "$ITS" = 0 ] && [ "$FAILED" = 0 ]
