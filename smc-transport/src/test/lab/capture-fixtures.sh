#!/bin/bash
# Guest script: captures the netlink fixtures of smc-transport's codec tests from the real kernel.
#   deploy/lab/run-in-vm.sh smc-transport/src/test/lab/capture-fixtures.sh
# Writes <rundir>/fixtures/*.bin|json; copy them to src/test/resources/fixtures/ (the checked-in
# set came from Debian 6.12.117 with loopback-ISM, see fixtures/KERNEL).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${LAB_RUNDIR:-${SMCVM_RUNDIR:?run this in the lab guest}}
modprobe smc
modprobe smc_diag
ip link set lo up
uname -r > "$OUT/kernel-release"
python3 "$HERE/capture_fixtures.py" "$OUT/fixtures"
