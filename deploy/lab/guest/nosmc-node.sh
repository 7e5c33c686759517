#!/usr/bin/env bash
# The "no SMC" leg (run with deploy/lab/run-in-vm.sh -t nosmc): Debian's newest stock kernel, built
# without SMC. The node starts from the README's command and config and serves over TCP; /status,
# its log and `smcctl info` (exit 3) give the cause with its evidence (the kernel's /boot/config),
# not just "EAFNOSUPPORT". Every check prints PASS/FAIL; rc 0 only if all pass.
# Needs the host build first (mvn verify: smc-vertx-node/target/smc-vertx-node.jar, smcctl/target/smcctl.jar).
set -uo pipefail
REPO=${LAB_REPO:?run this in the lab guest via deploy/lab/run-in-vm.sh -t nosmc}
OUT=$LAB_RUNDIR
REL=$(uname -r)
export JAVA_HOME=${LAB_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# the launchers' own knobs: under TCG the JIT is what costs (C1 only and the serial GC, as run-its.sh uses)
export SMC_NODE_JAVA_OPTS=${SMC_NODE_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}
export SMCCTL_JAVA_OPTS=${SMCCTL_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}
PASSED=0 FAILED=0
check() {   # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then PASSED=$((PASSED + 1)); echo "nosmc: PASS $name"; else FAILED=$((FAILED + 1)); echo "nosmc: FAIL $name"; fi
}
t() { cut -d' ' -f1 /proc/uptime; }
. "$(dirname "${BASH_SOURCE[0]}")/stop-node.sh"
echo "nosmc: kernel $REL, uptime $(t)s"
ip link set lo up

for jar in smc-vertx-node/target/smc-vertx-node.jar smcctl/target/smcctl.jar; do
  [ -f "$REPO/$jar" ] || { echo "nosmc: FAIL $jar is missing: run mvn verify on the host first"; exit 13; }
done
# the premise, seen by an independent reader: this kernel has no SMC at all
check "socket(AF_SMC) fails with EAFNOSUPPORT (python)" /usr/bin/python3 -c '
import errno, socket, sys
try:
    socket.socket(43, socket.SOCK_STREAM, 0)
except OSError as e:
    print("  socket(AF_SMC): %s" % e); sys.exit(0 if e.errno == errno.EAFNOSUPPORT else 1)
sys.exit(1)'
CONFIG=/boot/config-$REL
check "$CONFIG is the booted kernel's and has no CONFIG_SMC" bash -c "[ -f '$CONFIG' ] && ! grep -qE '^CONFIG_SMC=' '$CONFIG'"
grep -E '^(# )?CONFIG_(SMC|DIBS)[ =]' "$CONFIG" | sed 's/^/  /'
EVIDENCE="kernel $REL was built without CONFIG_SMC (CONFIG_DIBS is not set in $CONFIG"

echo "nosmc: == the node, from the README's command, and smcctl info beside it, at $(t)s"
cd "$REPO"
deploy/bin/smc-node --config deploy/examples/node.json > "$OUT/node.log" 2>&1 &
NODE=$!
# the two JVM starts are what this leg costs under TCG: smcctl starts while the node does (2 vCPUs)
{ deploy/bin/smcctl info > "$OUT/smcctl-info.out" 2> "$OUT/smcctl-info.err"; echo $? > "$OUT/smcctl-info.rc"; echo "nosmc: smcctl info done at $(t)s"; } &
CTL=$!
for _ in $(seq 600); do
  grep -q "smc-vertx node up" "$OUT/node.log" && break
  kill -0 "$NODE" 2>/dev/null || break
  sleep 1
done
echo "nosmc: node log at $(t)s:"; sed 's/^/  | /' "$OUT/node.log"
check "the node started" grep -q "smc-vertx node up" "$OUT/node.log"
check "the node's log gives the cause with its evidence" grep -qF "SMC: unavailable: kernel has no SMC: socket(AF_SMC) -> EAFNOSUPPORT (97): $EVIDENCE" "$OUT/node.log"

curl -s --max-time 120 http://127.0.0.1:9400/status > "$OUT/status.json"
echo "nosmc: /status:"; sed 's/^/  | /' "$OUT/status.json"
check "/status says SMC unavailable, with the cause and its evidence" /usr/bin/python3 - "$OUT/status.json" "$EVIDENCE" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
smc = s["smc"]
print("  smc.available=%s cause=%s" % (smc["available"], smc["cause"]))
sys.exit(0 if smc["available"] is False and sys.argv[2] in (smc["cause"] or "") else 1)
PY
check "http serves over TCP (GET /health on :8080)" bash -c \
  'curl -s --max-time 120 http://127.0.0.1:8080/health | tee /dev/stderr | grep -q "\"UP\""'
check "tcp echo serves over TCP (:7007)" /usr/bin/python3 -c '
import socket
s = socket.create_connection(("127.0.0.1", 7007), timeout=120)
s.sendall(b"no smc here\n"); got = b""
while len(got) < 12:
    b = s.recv(64)
    if not b: break
    got += b
print("  echoed %r" % got); raise SystemExit(0 if got == b"no smc here\n" else 1)'
curl -s --max-time 120 http://127.0.0.1:9400/status > "$OUT/status-after.json"
check "the node counted those connections as TCP (/status connections.totalByMode)" /usr/bin/python3 - "$OUT/status-after.json" <<'PY'
import json, sys
by = json.load(open(sys.argv[1]))["connections"]["totalByMode"]
print("  totalByMode %s" % by)
sys.exit(0 if by.get("TCP", 0) >= 2 and not by.get("SMCD") and not by.get("SMCR") else 1)
PY

echo "nosmc: == smcctl info"
wait "$CTL"; RC=$(cat "$OUT/smcctl-info.rc")
sed 's/^/  | /' "$OUT/smcctl-info.out" "$OUT/smcctl-info.err"
check "smcctl info exits 3 (SMC unavailable)" [ "$RC" = 3 ]
check "smcctl info gives the cause with its evidence" grep -qF "$EVIDENCE" "$OUT/smcctl-info.err"

stop_node "$NODE" nosmc
echo "nosmc: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
