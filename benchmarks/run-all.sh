#!/usr/bin/env bash
# Runs every benchmark once, in order, each writing benchmarks/results/<name>/ (raw.txt,
# summary.md, machine.txt). Host rows first (timed: run them on a quiet machine), then the lab
# rows, which boot the kernel lab guest under the icount model (instruction counts: the host's
# load does not move them, it only makes them take longer).
#   usage: benchmarks/run-all.sh           (env: SKIP_LAB=1 skips the guest runs, SKIP_HOST=1 the host runs)
set -uo pipefail
B=$(cd "$(dirname "$0")" && pwd)
rc=0
run() { echo "=== $*"; "$@" || { echo "=== FAILED: $*"; rc=1; }; }
if [ "${SKIP_HOST:-0}" != 1 ]; then
    run "$B/http-transport/run.sh"
    BENCH_SKIP_BUILD=1 run "$B/handler-spi/run.sh"
    BENCH_SKIP_BUILD=1 run "$B/relay/run.sh"
    BENCH_SKIP_BUILD=1 run "$B/connection-setup/run.sh"
    if [ -x "$B/cluster-propagation/run.sh" ]; then
        run "$B/cluster-propagation/run.sh"
    else
        echo "=== cluster-propagation: not on this branch yet"
    fi
fi
if [ "${SKIP_LAB:-0}" != 1 ]; then
    [ "${SKIP_HOST:-0}" = 1 ] && BUILT=0 || BUILT=1
    BENCH_SKIP_BUILD=$BUILT run "$B/smc-vs-tcp/run.sh"
    BENCH_SKIP_BUILD=1 run "$B/http-transport/icount.sh"
    BENCH_SKIP_BUILD=1 run "$B/handler-spi/icount.sh"
    BENCH_SKIP_BUILD=1 run "$B/relay/icount.sh"
    BENCH_SKIP_BUILD=1 run "$B/smcr-2vm/run.sh"
    BENCH_SKIP_BUILD=1 LAB_ACCEL=tcg run "$B/connection-setup/diag-lab.sh"
fi
exit $rc
