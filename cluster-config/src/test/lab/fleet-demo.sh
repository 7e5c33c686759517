#!/usr/bin/env bash
# The worked example of cluster-config/README.md, run for real in the lab guest:
#
#   deploy/lab/run-in-vm.sh -t lo --timeout 1500 cluster-config/src/test/lab/fleet-demo.sh
#
# One smc-vertx node (Hazelcast member + cluster-config store + reconciler of this kernel) and
# the operator's smcctl: keygen, enroll the host's key, publish a PNET table and a UEID, watch
# `smcctl cluster status` (which shows the host's status verified: signed with its enrolled key).
# Every command is echoed with "$ " and its output follows; the transcript is also written to
# $LAB_RUNDIR/fleet-demo/transcript.txt. Needs: mvn verify -DskipTests (the node and smcctl jars).
set -uo pipefail
REPO=${LAB_REPO:?run this in the lab guest via deploy/lab/run-in-vm.sh}
OUT=$LAB_RUNDIR/fleet-demo
mkdir -p "$OUT"
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export SMCCTL_JAVA_OPTS="-XX:+UseSerialGC" SMC_NODE_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
exec > >(tee "$OUT/transcript.txt") 2>&1

modprobe smc && modprobe smc_diag || { echo "fleet-demo: no smc module"; exit 10; }
ip link set lo up
# the interface the PNET table names: a dummy netdev stands in for the host's RoCE/ISM-backed NIC
ip link add eth1 type dummy && ip link set eth1 up
ip link add eth2 type dummy && ip link set eth2 up
t0=$(cut -d' ' -f1 /proc/uptime)
t() { awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.0f", b - a }'; }

cd "$OUT"
# stdout is the transcript; stderr (JVM warnings about sun.misc.Unsafe from Hazelcast) goes to a file
run() { echo "\$ $*"; "$@" 2>>stderr.txt; echo "[exit $?, t=$(t)s]"; echo; }
smcctl() { "$REPO/deploy/bin/smcctl" "$@"; }

run smcctl cluster keygen --out operator.key
run smcctl cluster host-keygen --out host.key
run smcctl cluster enroll --key operator.key --host lab-guest --out lab-guest.enrollment host.key.pub

cat > node.json <<JSON
{
  "admin": { "host": "127.0.0.1", "port": 9400 },
  "hazelcast": { "enabled": true, "port": 5701, "clusterName": "smc-vertx" },
  "listeners": [],
  "clusterConfig": {
    "enabled": true,
    "host": "lab-guest",
    "labels": { "zone": "lab" },
    "trustedKeys": [ "operator.key.pub" ],
    "hostKey": "host.key",
    "hostEnrollment": "lab-guest.enrollment",
    "stateFile": "fleet.revision",
    "recheckSeconds": 5
  }
}
JSON
cat > fleet.json <<'JSON'
{
  "revision": 1,
  "comment": "NET1 on eth1 in zone lab; one UEID for the whole fleet",
  "pnet": [ { "pnetId": "NET1", "ethName": "eth1", "hosts": { "labels": { "zone": "lab" } } } ],
  "ueids": [ "SMCVERTX-FLEET" ]
}
JSON
echo "\$ cat node.json"; cat node.json; echo
echo "\$ cat fleet.json"; cat fleet.json; echo

echo "\$ deploy/bin/smc-node --config node.json &"
"$REPO/deploy/bin/smc-node" --config node.json > node.log 2>&1 &
node=$!
for _ in $(seq 1 300); do
  curl -sf http://127.0.0.1:9400/status > /dev/null && break
  kill -0 $node 2>/dev/null || { echo "fleet-demo: node died"; cat node.log; exit 11; }
  sleep 1
done
grep -E "^(smc-vertx node up|  SMC:)" node.log; echo "[node up at t=$(t)s]"; echo

# an AF_SMC server to check against (an independent python listener, no project code)
coproc LISTENER { python3 "$REPO/smcctl/src/test/lab/smc_listener.py" smc; }
read -r _ port <&"${LISTENER[0]}"
run smcctl check 127.0.0.1:$port
run smcctl cluster --cluster-name smc-vertx --trust operator.key.pub publish fleet.json --key operator.key
for _ in $(seq 1 120); do
  curl -s http://127.0.0.1:9400/status | grep -q '"appliedRevision" : 1,' && break
  sleep 1
done
run smcctl cluster --cluster-name smc-vertx --trust operator.key.pub status
run smcctl check 127.0.0.1:$port
run smcctl pnet show
run smcctl ueid show
# a change by hand, behind the fleet's back: reported as drift at the next re-check (5 s here)
run smcctl pnet add HANDMADE --interface eth2
sleep 8
run smcctl cluster --cluster-name smc-vertx --trust operator.key.pub status -v
echo "\$ curl -s http://127.0.0.1:9400/status   # the node's own view, the \"config\" part of \"cluster\""
curl -s http://127.0.0.1:9400/status | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["cluster"], indent=2))'
echo "[t=$(t)s]"

kill -TERM $node; wait $node
echo "[node stopped, t=$(t)s]"
eval "exec ${LISTENER[1]}>&-"
ip link del eth1; ip link del eth2
