#!/usr/bin/env bash
# Two-guest SMC-R test (run with deploy/lab/run-2vm.sh): rxe0 (Soft-RoCE) on eth0 of each guest,
# 10.98.0.1 (server) / 10.98.0.2 (client) on the qemu link, UEID on both, an AF_SMC connection
# between them; each guest's own kernel (smc_diag) must report its end as SMCR, else rc != 0.
# Then the JVM leg (guest/smcr-jvm.sh; LAB_SMCR_JVM=0 skips it): a node in the server guest, a
# Vert.x HttpClient in the client guest, SMCR at both ends, /status, smcctl, SMC-R fixtures.
# Then, on the same link, guest/disni-2vm.sh (LAB_DISNI=0 skips it): DiSNI readiness per address and
# the DiSNI verbs / SMC-R / TCP ping-pong.
set -uo pipefail
ROLE=${1:?server or client}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
T=$HERE/labtool.py
fail() { echo "smcr-2vm[$ROLE]: FAIL: $*"; exit 1; }
for m in virtio_net smc smc_diag rdma_rxe; do modprobe "$m" || fail "modprobe $m"; done
ip link set lo up
case "$ROLE" in server) ME=10.98.0.1;; client) ME=10.98.0.2;; *) fail "role must be server or client";; esac
for _ in $(seq 50); do [ -e /sys/class/net/eth0 ] && break; sleep 0.1; done
ip addr add "$ME/24" dev eth0 && ip link set eth0 up || fail "eth0 setup"
rdma link add rxe0 type rxe netdev eth0 || fail "rdma link add rxe0"
rdma link show
$PY "$T" ueid add SMCVERTX-LAB || fail "UEID"
echo "smcr-2vm[$ROLE]: kernel $(uname -r) tree ${LAB_TREE:-?}, eth0 $ME, uptime $(cut -d' ' -f1 /proc/uptime)s"
if [ "$ROLE" = server ]; then
  timeout 300 $PY "$T" serve 10.98.0.1 5000 --expect SMCR; rc=$?
else
  timeout 300 $PY "$T" connect 10.98.0.1 5000 --expect SMCR --wait 240; rc=$?
fi
dmesg | grep -E 'smc|rxe' | tail -4
ip -s link show eth0 | sed -n '3,6p'
echo "smcr-2vm[$ROLE]: python pair rc=$rc"
if [ "$rc" = 0 ] && [ "${LAB_SMCR_JVM:-1}" = 1 ]; then
  "$HERE/smcr-jvm.sh" "$ROLE"; rc=$?
fi
echo "smcr-2vm[$ROLE]: rc=$rc"
if [ "${LAB_DISNI:-1}" = 1 ]; then
  "$HERE/disni-2vm.sh" "$ROLE" || rc=1
fi
exit $rc
