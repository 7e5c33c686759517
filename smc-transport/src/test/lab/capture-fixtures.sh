#!/bin/bash
# Guest script: captures the netlink fixtures of smc-transport's codec tests from the real kernel.
#   deploy/lab/run-in-vm.sh smc-transport/src/test/lab/capture-fixtures.sh               (amd64)
#   deploy/lab/run-in-vm.sh --arch s390x smc-transport/src/test/lab/capture-fixtures.sh  (IBM Z, big-endian)
# Writes <rundir>/fixtures/*.bin|json; copy them to src/test/resources/fixtures/ (amd64: the set
# came from Debian 6.12.117 with loopback-ISM) or src/test/resources/fixtures/s390x/ (IBM Z; the
# kernel release is in the sidecars' "kernel" field).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${LAB_RUNDIR:-${SMCVM_RUNDIR:?run this in the lab guest}}
modprobe smc
modprobe smc_diag
ip link set lo up
uname -r > "$OUT/kernel-release"
# no UEID yet: on IBM Z the SEID alone carries SMC-Dv2, elsewhere the server declines NOUEID
python3 "$HERE/capture_fixtures.py" "$OUT/fixtures"
