#!/usr/bin/env bash
# Two lab guests joined by one virtual Ethernet link (qemu UDP socket netdevs on host 127.0.0.1 only),
# both with Debian's stock smc.ko (so SMC-R over Soft-RoCE, not loopback-ISM, is what connects them).
#
#   run-2vm.sh [-t stock|lo] [--client-arch amd64|s390x] [--client-tree stock|lo] [--timeout S] SCRIPT [ARGS...]
#
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
TREE=stock TIMEOUT=${LAB_TIMEOUT:-600} CLIENT_ARCH=amd64 CLIENT_TREE=
while [ $# -gt 0 ]; do
  case "$1" in
    -t) TREE=$2; shift 2;;
    --timeout) TIMEOUT=$2; shift 2;;
    --client-arch) CLIENT_ARCH=$2; shift 2;;
    --client-tree) CLIENT_TREE=$2; shift 2;;
    -*) echo "run-2vm: unknown option $1" >&2; exit 2;;
    *) break;;
  esac
done
[ $# -ge 1 ] || { sed -n '2,16p' "$0" >&2; exit 2; }
if [ -z "$CLIENT_TREE" ]; then CLIENT_TREE=$TREE; [ "$CLIENT_ARCH" = s390x ] && CLIENT_TREE=lo; fi
SCRIPT=$1; shift
# one guest per core; two free UDP ports on 127.0.0.1, one per guest: each sends its frames to the
# other's. Connectionless, so a guest that run-in-vm boots again (a kernel that died while booting)
# finds the link as it was; a TCP socket link died with its listening qemu and left the peer cut off.
CPUS=1; [ "$(nproc)" -ge 4 ] && CPUS=2
port_free() { ! ss -Hlun "sport = :$1" 2>/dev/null | grep -q .; }
for _ in $(seq 50); do PORT=$((20000 + RANDOM % 20000)); port_free "$PORT" && port_free $((PORT + 1)) && break; done
mkdir -p "$LAB/runs"
ID=$(date +%Y%m%d-%H%M%S)-$$
T0=$(date +%s)
"$LAB/run-in-vm.sh" -t "$TREE" -c "$CPUS" -m 2048 --timeout "$TIMEOUT" --rundir "$LAB/runs/$ID-server" \
  --net "udp:$PORT:$((PORT + 1)):52:54:00:00:98:01" "$SCRIPT" server "$@" 2>&1 | sed -u 's/^/server| /' &
SPID=$!
"$LAB/run-in-vm.sh" --arch "$CLIENT_ARCH" -t "$CLIENT_TREE" -c "$CPUS" -m 2048 --timeout "$TIMEOUT" --rundir "$LAB/runs/$ID-client" \
  --net "udp:$((PORT + 1)):$PORT:52:54:00:00:98:02" "$SCRIPT" client "$@" 2>&1 | sed -u 's/^/client| /'
CRC=${PIPESTATUS[0]}
wait "$SPID"; SRC=$?          # pipefail: run-in-vm's rc, not sed's
echo "run-2vm: server rc=$SRC client rc=$CRC wall $(( $(date +%s) - T0 ))s rundirs $LAB/runs/$ID-{server,client}"
[ "$SRC" = 0 ] && [ "$CRC" = 0 ]
