#!/usr/bin/env bash
# Two lab guests joined by one virtual Ethernet link (qemu UDP socket netdevs on host 127.0.0.1 only),
# both with Debian's stock smc.ko (so SMC-R over Soft-RoCE, not loopback-ISM, is what connects them).
#
#   run-2vm.sh [-t stock|lo] [--client-arch amd64|s390x] [--client-tree stock|lo] [--links 1|2] [--timeout S] SCRIPT [ARGS...]
#
# --links 2 adds a second, independent link (eth1, MAC 52:54:00:00:99:01 / ...:02, its own UDP port
# pair) and tells the scripts so (LAB_LINKS=2): a second Soft-RoCE device per guest, the only way an
# SMC-R link group gets a second link here (linkfault-2vm.sh). amd64 client only. Default 1 (CI).
# --client-arch s390x makes the client the IBM Z guest (run-in-vm.sh --arch s390x): a mixed fleet.
# Its module tree is "lo" unless --client-tree says otherwise: the kernel reports its SEID only while
# it has an SMC-Dv2 capable device (no ISM under TCG: loopback-ISM), and with Debian's own smc.ko
# the mixed fleet showed "none" for the s390x host too. SMC between the guests stays SMC-R: the
# amd64 peer, on Debian's smc.ko, offers no SMC-D.
# SCRIPT runs in both guests with arg 1 = server (MAC 52:54:00:00:98:01) or client (...:02).
# Both consoles are streamed with a "server|" / "client|" prefix; both run dirs are kept
# (deploy/lab/runs/<id>-server, <id>-client). Exit code: 0 only if both guests' scripts exit 0.
set -uo pipefail
LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
TREE=stock TIMEOUT=${LAB_TIMEOUT:-600} CLIENT_ARCH=amd64 CLIENT_TREE= LINKS=1
while [ $# -gt 0 ]; do
  case "$1" in
    -t) TREE=$2; shift 2;;
    --timeout) TIMEOUT=$2; shift 2;;
    --client-arch) CLIENT_ARCH=$2; shift 2;;
    --client-tree) CLIENT_TREE=$2; shift 2;;
    --links) LINKS=$2; shift 2;;
    -*) echo "run-2vm: unknown option $1" >&2; exit 2;;
    *) break;;
  esac
done
[ $# -ge 1 ] || { sed -n '2,17p' "$0" >&2; exit 2; }
case "$LINKS" in 1) ;; 2) [ "$CLIENT_ARCH" = amd64 ] || { echo "run-2vm: --links 2 is for two amd64 guests" >&2; exit 2; };;
  *) echo "run-2vm: --links must be 1 or 2, not '$LINKS'" >&2; exit 2;; esac
export LAB_LINKS=$LINKS      # run-in-vm hands LAB_* to both guests
if [ -z "$CLIENT_TREE" ]; then CLIENT_TREE=$TREE; [ "$CLIENT_ARCH" = s390x ] && CLIENT_TREE=lo; fi
SCRIPT=$1; shift
# one guest per core; two free UDP ports on 127.0.0.1, one per guest: each sends its frames to the
# other's. Connectionless, so a guest that run-in-vm boots again (a kernel that died while booting)
# finds the link as it was; a TCP socket link died with its listening qemu and left the peer cut off.
CPUS=1; [ "$(nproc)" -ge 4 ] && CPUS=2
port_free() { ! ss -Hlun "sport = :$1" 2>/dev/null | grep -q .; }
for _ in $(seq 50); do
  PORT=$((20000 + RANDOM % 20000))
  port_free "$PORT" && port_free $((PORT + 1)) && { [ "$LINKS" = 1 ] || { port_free $((PORT + 2)) && port_free $((PORT + 3)); }; } && break
done
S2=() C2=()
if [ "$LINKS" = 2 ]; then
  S2=(--net2 "udp:$((PORT + 2)):$((PORT + 3)):52:54:00:00:99:01"); C2=(--net2 "udp:$((PORT + 3)):$((PORT + 2)):52:54:00:00:99:02")
fi
mkdir -p "$LAB/runs"
ID=$(date +%Y%m%d-%H%M%S)-$$
T0=$(date +%s)
"$LAB/run-in-vm.sh" -t "$TREE" -c "$CPUS" -m 2048 --timeout "$TIMEOUT" --rundir "$LAB/runs/$ID-server" \
  --net "udp:$PORT:$((PORT + 1)):52:54:00:00:98:01" "${S2[@]}" "$SCRIPT" server "$@" 2>&1 | sed -u 's/^/server| /' &
SPID=$!
"$LAB/run-in-vm.sh" --arch "$CLIENT_ARCH" -t "$CLIENT_TREE" -c "$CPUS" -m 2048 --timeout "$TIMEOUT" --rundir "$LAB/runs/$ID-client" \
  --net "udp:$((PORT + 1)):$PORT:52:54:00:00:98:02" "${C2[@]}" "$SCRIPT" client "$@" 2>&1 | sed -u 's/^/client| /'
CRC=${PIPESTATUS[0]}
wait "$SPID"; SRC=$?          # pipefail: run-in-vm's rc, not sed's
echo "run-2vm: server rc=$SRC client rc=$CRC wall $(( $(date +%s) - T0 ))s rundirs $LAB/runs/$ID-{server,client}"
[ "$SRC" = 0 ] && [ "$CRC" = 0 ]
