#!/bin/bash
# Guest script: captures the netlink fixtures of smc-transport's codec tests from the real kernel.
#   deploy/lab/run-in-vm.sh (or /work/refkit/run-vm.sh -k k612lo) smc-transport/src/test/lab/capture-fixtures.sh
# Writes $SMCVM_RUNDIR/fixtures/*.bin|json; copy them to src/test/resources/fixtures/.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
modprobe smc
modprobe smc_diag
ip link set lo up
uname -r > "$SMCVM_RUNDIR/kernel-release"
python3 "$HERE/capture_fixtures.py" "$SMCVM_RUNDIR/fixtures"
