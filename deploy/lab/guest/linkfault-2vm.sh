#!/usr/bin/env bash
# SMC-R link faults in the middle of a 64 MiB transfer, two guests (issue 17, item 3, first bullet):
#   deploy/lab/run-2vm.sh --timeout 2400 deploy/lab/guest/linkfault-2vm.sh
# Same link and setup as smcr-2vm.sh (rxe0 on eth0, 10.98.0.1 server / 10.98.0.2 client, UEID), then
# one JVM per guest (io.smcvertx.vertx.lab.LinkFault): the client's sender streams a seeded 64 MiB
# stream over SMC-R (our transport) to the server's receiver, once per fault kind in
# LAB_LINKFAULT_FAULTS (default "linkdown rxedel none"). Each end dumps the link groups once connected;
# when the receiver has MARK bytes it says so, and this script (server guest) injects the fault under rxe0:
#   linkdown  ip link set eth0 down; sleep DOWN; ip link set eth0 up   (rxe: IB port error / active)
#   rxedel    rdma link delete rxe0; sleep DOWN; rdma link add rxe0 ...  (the ib device removed, re-added)
#   none      nothing: the control, which must arrive INTACT over SMC-R (the kernel recovered)
# Verdict per transfer: SMCR at both ends before the fault (each end's own smc_diag), then either
# INTACT at both ends (SHA-256) or FAILED at both ends with an error; never short, corrupt or hung.
# A receiver that gets no byte for LAB_LINKFAULT_IDLE_S (600) s ends the transfer as HANG.
# Results: $LAB_RUNDIR/linkfault/ (t<N>.result json, link group dumps, dmesg, smc tracepoints).
#
# Two links (run-2vm.sh --links 2, LAB_LINKS=2): a second NIC, eth1 (10.98.1.1 / .2), and rxe1 on it,
# so the kernel can give the link group a second link (smc_llc_srv_add_link / smc_llc_cli_add_link
# at first contact) and move connections to it when rxe0's link goes down (smc_switch_conns). The
# faults stay under rxe0 only, and every transfer must then arrive INTACT at both ends. What 6.12's
# SMC-Rv2 demands of the alternate device (smc_ib.c smc_ib_determine_gid_rcu): a RoCE v2 GID whose
# netdev has an IPv4 address whose subnet holds the link group's source address (lgr->saddr, eth0's
# 10.98.0.x), so eth1's address is 10.98.1.x/16 (LAB_LINK2_PREFIX) with no prefix route and a /24
# route on eth1: the second link's RoCE traffic goes over eth1 only. LAB_LINK2_PREFIX=24 (a plain
# separate subnet) shows the kernel declining the second link.
set -uo pipefail
ROLE=${1:?server or client}
REPO=${LAB_REPO:?run this in the lab guest}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAVA=${LAB_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
OUT=$LAB_RUNDIR/linkfault
FAULTS=${LAB_LINKFAULT_FAULTS:-linkdown rxedel none}
BYTES=${LAB_LINKFAULT_BYTES:-67108864}            # 64 MiB
MARK=${LAB_LINKFAULT_MARK:-16777216}              # the fault comes once 16 MiB arrived
RATE=${LAB_LINKFAULT_RATE:-2097152}               # at most 2 MiB/s: the fault lands mid-stream however fast the link
DOWN=${LAB_LINKFAULT_DOWN_S:-5}
PORT=7100
t() { cut -d' ' -f1 /proc/uptime; }
say() { echo "linkfault-2vm[$ROLE] up=$(t) $*"; }
fail() { say "FAIL: $*"; exit 1; }
# wait_for FILE SECONDS: polls every 0.2 s (the fault must follow the mark closely)
wait_for() { local i; for ((i = 0; i < $2 * 5; i++)); do [ -e "$1" ] && return 0; sleep 0.2; done; return 1; }
mkdir -p "$OUT/share"
for m in virtio_net smc smc_diag rdma_rxe; do modprobe "$m" || fail "modprobe $m"; done
modprobe ib_uverbs 2>/dev/null || true
ip link set lo up
case "$ROLE" in server) ME=10.98.0.1;; client) ME=10.98.0.2;; *) fail "role must be server or client";; esac
for _ in $(seq 50); do [ -e /sys/class/net/eth0 ] && break; sleep 0.1; done
ip addr add "$ME/24" dev eth0 && ip link set eth0 up || fail "eth0 setup"
rdma link add rxe0 type rxe netdev eth0 || fail "rdma link add rxe0"
LINKS=${LAB_LINKS:-1}
if [ "$LINKS" = 2 ]; then
  case "$ROLE" in server) ME1=10.98.1.1 PEER1=10.98.1.2 MAC1=52:54:00:00:99:01;; client) ME1=10.98.1.2 PEER1=10.98.1.1 MAC1=52:54:00:00:99:02;; esac
  # the second NIC by its MAC (run-2vm.sh --links 2), whatever the kernel named it
  for _ in $(seq 50); do ETH1=$(ip -br link | awk -v m="$MAC1" '$3 == m {print $1}'); [ -n "$ETH1" ] && break; sleep 0.1; done
  [ -n "$ETH1" ] || fail "no NIC with MAC $MAC1: run with run-2vm.sh --links 2"
  ip addr add "$ME1/${LAB_LINK2_PREFIX:-16}" dev "$ETH1" noprefixroute && ip link set "$ETH1" up \
    && ip route add 10.98.1.0/24 dev "$ETH1" src "$ME1" || fail "$ETH1 setup"
  rdma link add rxe1 type rxe netdev "$ETH1" || fail "rdma link add rxe1"
  # both ends' neighbours on eth1 known before the first contact (the peer may still be booting):
  # a TCP connect to the peer's listener there (no ping on this root)
  python3 -c 'import socket, sys
s = socket.create_server((sys.argv[1], 7101))
while True: s.accept()[0].close()' "$ME1" > "$OUT/eth1-listener.log" 2>&1 &
  for _ in $(seq 300); do timeout 2 bash -c "echo > /dev/tcp/$PEER1/7101" 2> /dev/null && break; sleep 1; done
  timeout 2 bash -c "echo > /dev/tcp/$PEER1/7101" 2> /dev/null || fail "no answer from $PEER1:7101 over $ETH1"
  ip neigh show dev "$ETH1" | sed 's/^/  neighbour: /'
  say "second link: $ETH1 $ME1/${LAB_LINK2_PREFIX:-16} (route 10.98.1.0/24 dev $ETH1), rxe1; net.smc.smcr_max_links_per_lgr=$(sysctl -n net.smc.smcr_max_links_per_lgr 2>&1)"
  ip -br addr | sed 's/^/  /'; ip route | sed 's/^/  /'; rdma link show | sed 's/^/  /'
fi
python3 "$HERE/labtool.py" ueid add SMCVERTX-LAB || fail "UEID"
# the kernel's own word on link downs: smc.ko's tracepoint smcr_link_down (with its caller)
TRACE=/sys/kernel/tracing
[ -d "$TRACE/events" ] || mount -t tracefs nodev "$TRACE" 2>/dev/null
if [ -e "$TRACE/events/smc/smcr_link_down/enable" ]; then
  echo 1 > "$TRACE/events/smc/smcr_link_down/enable"
  # and which path ended each link group (none of these runs per message), with the call stack
  for f in smcr_port_err smc_smcr_terminate_all smc_lgr_terminate_sched smc_conn_kill \
           smc_switch_conns smc_llc_srv_add_link smc_llc_cli_add_link smcr_port_add; do
    echo "$f" >> "$TRACE/set_ftrace_filter" 2>/dev/null
  done
  grep -q . "$TRACE/set_ftrace_filter" && echo 1 > "$TRACE/options/func_stack_trace" && echo function > "$TRACE/current_tracer"
else TRACE=; fi
say "kernel $(uname -r), eth0 $ME, faults: $FAULTS, ${BYTES} bytes at <= ${RATE} B/s, mark ${MARK}, down ${DOWN} s, tracepoint ${TRACE:+on}"
# Java and Netty make AF_INET6 sockets unless told otherwise; SMC6 to an IPv4 peer gets no SMC-R device before 6.14
FLAGS=(-Djava.net.preferIPv4Stack=true -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
python3 "$HERE/its_plan.py" "$REPO" "$OUT" --select-class io.smcvertx.vertx.lab.LinkFault > "$OUT/its-plan.log" \
  || { cat "$OUT/its-plan.log"; fail "no lab class path (run mvn verify on the host)"; }
CP=$(sed -n 2p "$OUT/junit.args")
N=$(wc -w <<< "$FAULTS")

finish() {  # what each kernel logged, the link groups' tracepoint lines
  dmesg | grep -E 'smc|rxe|linkfault' > "$OUT/dmesg.txt"
  say "kernel log (smc, rxe):"; sed 's/^/  /' "$OUT/dmesg.txt" | tail -40
  if [ -n "$TRACE" ]; then
    grep -v '^#' "$TRACE/trace" > "$OUT/trace.txt"
    say "ftrace (tracepoint smc:smcr_link_down; smcr_port_err, smc_smcr_terminate_all, smc_lgr_terminate_sched, smc_conn_kill, smc_switch_conns, smc_llc_{srv,cli}_add_link, smcr_port_add with stacks):"
    sed 's/^/  /' "$OUT/trace.txt" | head -200
  fi
}

if [ "$ROLE" = client ]; then
  timeout 3000 "$JAVA" "@$OUT/jvm.args" "${FLAGS[@]}" -cp "$CP" io.smcvertx.vertx.lab.LinkFault \
    send 10.98.0.1 $PORT "$OUT" "$N" "$BYTES" "$RATE" http://10.98.0.1:8000/
  rc=$?
  finish
  say "rc=$rc"
  exit $rc
fi

timeout 3000 "$JAVA" "@$OUT/jvm.args" "${FLAGS[@]}" -cp "$CP" io.smcvertx.vertx.lab.LinkFault \
  receive 10.98.0.1 $PORT "$OUT" "$MARK" "${LAB_LINKFAULT_IDLE_S:-600}" &
JVM=$!
python3 -m http.server 8000 --bind 10.98.0.1 --directory "$OUT/share" > "$OUT/http.log" 2>&1 &
HTTP=$!
wait_for "$OUT/listening" 900 || fail "the receiver did not listen within 900 s"
k=0 rc=0
for kind in $FAULTS; do
  k=$((k + 1))
  echo "linkfault: t$k $kind begins" > /dev/kmsg
  echo "$kind" > "$OUT/share/go-$k"  # with a body: the sender waits for one
  wait_for "$OUT/t$k.mid" 900 || fail "t$k: the receiver never got $MARK bytes"
  T0=$(t)
  echo "$T0 $kind $(date +%s.%N)" > "$OUT/t$k.fault"
  echo "linkfault: t$k $kind injected" > /dev/kmsg
  case "$kind" in
    linkdown) ip link set eth0 down; sleep "$DOWN"; ip link set eth0 up;;
    rxedel) rdma link delete rxe0; sleep "$DOWN"; rdma link add rxe0 type rxe netdev eth0 || fail "rdma link add rxe0 again";;
    none) ;;
    *) fail "unknown fault kind $kind";;
  esac
  T1=$(t)
  say "t$k: $kind at up=$T0 (mark $(cat "$OUT/t$k.mid")), restored at up=$T1"
  wait_for "$OUT/t$k.result" 1800 || fail "t$k: no verdict from the receiver within 1800 s"
  cp "$OUT/t$k.result" "$OUT/share/.t$k.result" && mv "$OUT/share/.t$k.result" "$OUT/share/t$k.result"  # whole or absent
  python3 - "$OUT/t$k.result" "$kind" "$T0" "$LINKS" <<'PY' || rc=1
import json, sys
r, kind, t0, links = json.load(open(sys.argv[1])), sys.argv[2], float(sys.argv[3]), sys.argv[4]
v = r["verdict"]
took = "%.2f s after the fault" % (float(r["errorUptime"] or r["endUptime"]) - t0)
print(f"linkfault-2vm[server] t{r['transfer']} {kind}: receiver {v}, {r['bytes']} of {r['length']} bytes, "
      f"{took}; error: {r['error'] or '-'} (SO_ERROR {r['soError'] or '-'}); SMCR before: {r['smcrAtStart']}")
for c in r["linkGroupChanges"]:
    print(f"linkfault-2vm[server]   link groups: {c}")
# with a second link the kernel is to move the connection to it: only INTACT will do
ok = r["allowed"] and (v == "INTACT" if kind == "none" or links == "2" else v in ("INTACT", "FAILED"))
print(f"linkfault-2vm[server] t{r['transfer']} {kind}: {'ok' if ok else 'FAIL'}")
sys.exit(0 if ok else 1)
PY
  # the next transfer needs the link back: rxe0 ACTIVE again
  for _ in $(seq 120); do rdma link show rxe0/1 2>/dev/null | grep -q 'state ACTIVE' && break; sleep 0.5; done
  say "t$k: after: $(rdma link show 2>&1 | tr '\n' ' ')"
done
# the client fetches the last verdict from our HTTP server: keep it until then
for _ in $(seq 600); do grep -q "GET /t$N.result HTTP/1.1\" 200" "$OUT/http.log" && break; sleep 1; done
touch "$OUT/stop"
wait $JVM || rc=1
kill $HTTP 2>/dev/null
finish
say "rc=$rc"
exit $rc
