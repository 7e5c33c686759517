#!/usr/bin/env bash
# DiSNI in the two-guest phase (called by smcr-2vm.sh once rxe0, eth0 10.98.0.1/.2 and the UEID are
# up; run-2vm.sh passes the role): builds the project's libdisni with the guest's gcc into the run
# dir, checks RDMA readiness per address through DiSNI (eth0: READY, a dummy interface without an
# RDMA device: NO_RDMA_DEVICE, a foreign address: ADDRESS_NOT_LOCAL), then runs the ping-pong
# over TCP, SMC (each kernel's smc_diag must say SMCR) and DiSNI verbs on the same link, and
# rdma-core's C ibv_rc_pingpong as the non-JVM anchor of the verbs leg.
#
#   disni-2vm.sh server|client
#
# Needs the host build (mvn verify: smc-disni/target/classes and target/lab-lib). Results:
# $LAB_RUNDIR/disni-readiness.txt, $LAB_RUNDIR/pingpong.txt (client: the table).
# Env: LAB_PINGPONG_ARGS (client, default "--size 64 --rounds 3 --warmup 1 --seconds 2"),
#      LAB_PINGPONG_COMPLETION (event|busy, both ends; default event), LAB_RC_PINGPONG_ITERS (200).
set -uo pipefail
ROLE=${1:?server or client}
REPO=${LAB_REPO:?run in the lab guest (deploy/lab/run-2vm.sh deploy/lab/guest/smcr-2vm.sh)}
JAVA=${LAB_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
T0=$(cut -d' ' -f1 /proc/uptime)
say() { echo "disni-2vm[$ROLE]: $*"; }
fail() { say "FAIL: $*"; exit 1; }
case "$ROLE" in server) ME=10.98.0.1 N=1;; client) ME=10.98.0.2 N=2;; *) fail "role must be server or client";; esac

# rdma_cm's and the verbs' character devices (/dev/infiniband/rdma_cm, uverbs0) for librdmacm
for m in rdma_ucm ib_uverbs; do modprobe "$m" || fail "modprobe $m"; done
[ -e /dev/infiniband/rdma_cm ] || fail "no /dev/infiniband/rdma_cm after modprobe rdma_ucm"
rdma link show | grep -q 'rxe0.*ACTIVE' || fail "rxe0 is not ACTIVE (smcr-2vm.sh sets it up)"

CP=$REPO/smc-disni/target/classes:$REPO/smc-transport/target/classes
[ -d "$REPO/smc-disni/target/classes/io" ] || fail "no $REPO/smc-disni/target/classes: run mvn verify on the host first"
for j in "$REPO"/smc-disni/target/lab-lib/*.jar; do CP=$CP:$j; done

LIB=$LAB_RUNDIR/libdisni
t=$(cut -d' ' -f1 /proc/uptime)
"$REPO/smc-disni/src/main/native/build-libdisni.sh" "$LIB" || fail "building libdisni with gcc"
say "libdisni built in $(echo "$(cut -d' ' -f1 /proc/uptime) - $t" | bc) s"

# an interface with an address but no RDMA device on it
ip link add dummy0 type dummy && ip addr add "10.97.0.$N/24" dev dummy0 && ip link set dummy0 up || fail "dummy0"

FLAGS=(--add-exports java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED
       "-Djava.library.path=$LIB"
       -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
t=$(cut -d' ' -f1 /proc/uptime)
timeout 300 "$JAVA" "${FLAGS[@]}" -cp "$CP" io.smcvertx.disni.cli.DisniCheck \
  "$ME=READY" "10.97.0.$N=NO_RDMA_DEVICE" 10.98.0.99=ADDRESS_NOT_LOCAL 127.0.0.1 \
  2>&1 | tee "$LAB_RUNDIR/disni-readiness.txt"
rc=${PIPESTATUS[0]}
say "readiness check rc=$rc in $(echo "$(cut -d' ' -f1 /proc/uptime) - $t" | bc) s"
[ "$rc" = 0 ] || fail "readiness verdicts differ from the expected (see above)"

COMPLETION=${LAB_PINGPONG_COMPLETION:-event}
# Soft-RoCE's own counters around the ping-pong (both RDMA legs cross rxe0): retries, sequence
# errors and the like say what the emulated RDMA path did, beside the times
HWC=/sys/class/infiniband/rxe0/ports/1/hw_counters
counters() { for f in "$HWC"/*; do printf '%s %s\n' "${f##*/}" "$(cat "$f")"; done; }
counters > "$LAB_RUNDIR/rxe0-counters-before.txt"
t=$(cut -d' ' -f1 /proc/uptime)
if [ "$ROLE" = server ]; then
  timeout 600 "$JAVA" "${FLAGS[@]}" -cp "$CP" io.smcvertx.disni.pingpong.PingPong server --address 10.98.0.1 \
    --completion "$COMPLETION" 2>&1 | tee "$LAB_RUNDIR/pingpong.txt"
else
  read -r -a ARGS <<< "${LAB_PINGPONG_ARGS:---size 64 --rounds 3 --warmup 1 --seconds 2}"
  timeout 600 "$JAVA" "${FLAGS[@]}" -cp "$CP" io.smcvertx.disni.pingpong.PingPong client --address 10.98.0.1 \
    --completion "$COMPLETION" "${ARGS[@]}" 2>&1 | tee "$LAB_RUNDIR/pingpong.txt"
fi
rc=${PIPESTATUS[0]}
counters > "$LAB_RUNDIR/rxe0-counters-after.txt"
say "rxe0 counters during the ping-pong (changed only): $(join "$LAB_RUNDIR/rxe0-counters-before.txt" "$LAB_RUNDIR/rxe0-counters-after.txt" \
  | awk '$3 != $2 { printf "%s +%d ", $1, $3 - $2 }')"
say "ping-pong rc=$rc in $(echo "$(cut -d' ' -f1 /proc/uptime) - $t" | bc) s (accel ${LAB_ACCEL:-?}); DiSNI part $(echo "$(cut -d' ' -f1 /proc/uptime) - $T0" | bc) s"
[ "$rc" = 0 ] || fail "ping-pong"

# A non-JVM anchor for the verbs leg on the same link: rdma-core's own RC ping-pong in C (Debian
# ibverbs-utils), 64-byte messages, sleeping on CQ events like the Java leg's default. It tells
# what DiSNI and the JVM add, and what Soft-RoCE itself costs here.
GIDX=$(for g in /sys/class/infiniband/rxe0/ports/1/gids/*; do
  [ "$(cat "$g")" = "$(printf '0000:0000:0000:0000:0000:ffff:%02x%02x:%02x%02x' ${ME//./ })" ] && echo "${g##*/}"; done | head -1)
[ -n "$GIDX" ] || fail "no IPv4-mapped GID for $ME on rxe0"
ANCHOR=(ibv_rc_pingpong -d rxe0 -g "$GIDX" -s 64 -n "${LAB_RC_PINGPONG_ITERS:-200}" -e -c)
t=$(cut -d' ' -f1 /proc/uptime)
if [ "$ROLE" = server ]; then
  timeout 300 "${ANCHOR[@]}" 2>&1 | tee "$LAB_RUNDIR/ibv_rc_pingpong.txt"; rc=${PIPESTATUS[0]}
else
  for _ in $(seq 60); do   # the server starts it once its Java ping-pong has ended
    timeout 300 "${ANCHOR[@]}" 10.98.0.1 > "$LAB_RUNDIR/ibv_rc_pingpong.txt" 2>&1; rc=$?
    grep -q "Couldn't connect" "$LAB_RUNDIR/ibv_rc_pingpong.txt" || break
    sleep 2
  done
  cat "$LAB_RUNDIR/ibv_rc_pingpong.txt"
fi
say "C anchor (${ANCHOR[*]}) rc=$rc in $(echo "$(cut -d' ' -f1 /proc/uptime) - $t" | bc) s"
[ "$rc" = 0 ] || fail "ibv_rc_pingpong"
say "PASS"
