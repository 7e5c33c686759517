#!/usr/bin/env bash
# Runs every benchmark once, in order, each writing benchmarks/results/<name>/ (raw.txt,
# summary.md, machine.txt). The lab ones (SmcDiag lookups, SMC vs TCP) boot the kernel lab guest.
#   usage: benchmarks/run-all.sh           (env: SKIP_LAB=1 skips the guest runs; LAB_ACCEL=kvm|tcg|auto)
set -uo pipefail
B=$(cd "$(dirname "$0")" && pwd)
rc=0
run() { echo "=== $*"; "$@" || { echo "=== FAILED: $*"; rc=1; }; }
run "$B/http-transport/run.sh"
BENCH_SKIP_BUILD=1 run "$B/handler-spi/run.sh"
BENCH_SKIP_BUILD=1 run "$B/relay/run.sh"
BENCH_SKIP_BUILD=1 run "$B/connection-setup/run.sh"
if [ -x "$B/cluster-propagation/run.sh" ]; then
    run "$B/cluster-propagation/run.sh"
else
    echo "=== cluster-propagation: not on this branch yet"
fi
if [ "${SKIP_LAB:-0}" != 1 ]; then
    BENCH_SKIP_BUILD=1 run "$B/connection-setup/diag-lab.sh"
    BENCH_SKIP_BUILD=1 run "$B/smc-vs-tcp/run.sh"
fi
exit $rc
