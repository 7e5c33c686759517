#!/usr/bin/env bash
# The JVM leg of the two-guest SMC-R test, run by smcr-2vm.sh after its python pair (rxe0, the
# addresses and the UEID are set up by then). One JVM per guest, since each costs 1-2 minutes
# under TCG:
#   server (10.98.0.1): an smc-vertx node (HTTP listener 10.98.0.1:8080, admin 10.98.0.1:9400);
#     it must see an SMCR connection in /connections (its smc_diag), count it in /status, and an
#     independent python smc_diag reader must see the SMCR socket; then SMC-R fixtures are captured.
#   client (10.98.0.2): io.smcvertx.vertx.lab.SmcrClient: a Vert.x HttpClient on SmcTransport,
#     SMCR by its own smc_diag, the server's /status, smcctl devices/linkgroups/doctor in-process,
#     the client's fixtures; it keeps the connection open until the server has captured its side.
# Results: $LAB_RUNDIR/smcr-jvm/ (fixtures/, smcctl-*.txt, status json, node.log).
set -uo pipefail
ROLE=${1:?server or client}
REPO=${LAB_REPO:?run this in the lab guest}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$LAB_RUNDIR/smcr-jvm
CAPTURE=$REPO/smc-transport/src/test/lab/capture_smcr.py
JAVA=${LAB_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
mkdir -p "$OUT/share"
t() { cut -d' ' -f1 /proc/uptime; }
fail() { echo "smcr-jvm[$ROLE]: FAIL: $*"; exit 1; }
# Java and Netty make AF_INET6 sockets unless told otherwise; on kernels before 6.14 an SMC6 socket
# talking to an IPv4 peer gets no SMC-R device (this leg's first run: FALLBACK_TCP 0x03030000
# NOSMCDEV at the client while python's AF_SMC (IPv4) pair had SMCR). Both JVMs use IPv4 sockets.
IPV4=-Djava.net.preferIPv4Stack=true
modprobe ib_uverbs 2>/dev/null || true   # libibverbs opens /dev/infiniband/uverbsN (active MTU)
echo "smcr-jvm[$ROLE]: start at $(t)s"

# the admin endpoint binds 10.98.0.1 (beyond loopback), so it needs a bearer token; both guests know
# this lab-only one (the link between the guests is a private qemu socket, nothing else reaches it)
ADMIN_TOKEN=smcr-lab-admin-token-0123456789abcdef0123456789abcdef
AUTH="Authorization: Bearer $ADMIN_TOKEN"
# mode of open connections by the node's own smc_diag reading (GET /connections)
smcr_open() { curl -s -H "$AUTH" http://10.98.0.1:9400/connections | python3 -c 'import json,sys; print(sum(1 for c in json.load(sys.stdin) if c["mode"]=="SMCR"))' 2>/dev/null || echo 0; }

if [ "$ROLE" = server ]; then
  printf %s "$ADMIN_TOKEN" > "$OUT/admin.token"
  cat > "$OUT/node.json" <<JSON
{
  "admin": { "host": "10.98.0.1", "port": 9400, "tokenFile": "$OUT/admin.token" },
  "hazelcast": { "enabled": false },
  "listeners": [ { "name": "web", "protocol": "http", "host": "10.98.0.1", "port": 8080, "instances": 1,
                   "handler": { "name": "http" } } ]
}
JSON
  SMC_NODE_JAVA_OPTS="$IPV4 -XX:TieredStopAtLevel=1 -XX:+UseSerialGC" "$REPO/deploy/bin/smc-node" --config "$OUT/node.json" \
    > "$OUT/node.log" 2>&1 &
  NODE=$!
  python3 -m http.server 8000 --bind 10.98.0.1 --directory "$OUT/share" > "$OUT/http.log" 2>&1 &
  HTTP=$!
  n=0
  for _ in $(seq 900); do
    kill -0 $NODE 2>/dev/null || { cat "$OUT/node.log"; fail "the node died"; }
    n=$(smcr_open); [ "$n" -ge 1 ] && break
    sleep 1
  done
  [ "$n" -ge 1 ] || { cat "$OUT/node.log"; fail "no SMCR connection in the node's /connections after 900 s"; }
  echo "smcr-jvm[server]: the node sees $n open SMCR connection(s) by its smc_diag at $(t)s"
  curl -s -H "$AUTH" http://10.98.0.1:9400/connections > "$OUT/server-connections.json"
  curl -s -H "$AUTH" http://10.98.0.1:9400/status > "$OUT/server-status.json"
  python3 - "$OUT/server-status.json" <<'PY' || fail "/status does not count SMCR"
import json, sys
s = json.load(open(sys.argv[1]))
by = s["connections"]["totalByMode"]
print("smcr-jvm[server]: /status connections.totalByMode", by, "; rdma", [(p["device"], p["state"], p["smc"]) for p in s["rdma"]["ports"]])
sys.exit(0 if by.get("SMCR", 0) >= 1 else 1)
PY
  python3 "$CAPTURE" "$OUT/fixtures" server || fail "the python smc_diag reader sees no SMCR socket here"
  touch "$OUT/share/server-done"
  for _ in $(seq 300); do [ "$(smcr_open)" = 0 ] && break; sleep 1; done
  kill -TERM $NODE; wait $NODE
  kill $HTTP 2>/dev/null
  echo "smcr-jvm[server]: ok at $(t)s"
  exit 0
fi

cd "$OUT" || exit 1
python3 "$HERE/its_plan.py" "$REPO" "$OUT" --select-class io.smcvertx.vertx.lab.SmcrClient > its-plan.log || { cat its-plan.log; fail "no lab class path (run mvn verify on the host)"; }
CP=$(sed -n 2p "$OUT/junit.args")
timeout 1500 "$JAVA" "@$OUT/jvm.args" $IPV4 -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dsmcr.adminToken="$ADMIN_TOKEN" -cp "$CP" io.smcvertx.vertx.lab.SmcrClient \
  http://10.98.0.1:8080/health http://10.98.0.1:9400/status http://10.98.0.1:8000/server-done "$OUT" "$CAPTURE"
rc=$?
echo "smcr-jvm[client]: rc=$rc at $(t)s"
exit $rc
