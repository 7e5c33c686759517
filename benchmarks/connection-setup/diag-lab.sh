#!/usr/bin/env bash
# 4b. The cost of resolving a connection's SMC info (io.smcvertx.transport.diag.SmcDiag) with
#     1, 100 and 1,000 open SMC connections, in the kernel lab guest (the host has no kernel SMC).
#     JMH (DiagLookupBench, in-process: -f 0) : dump, lookupOne (cache TTL 0 = a dump per lookup),
#     lookupAllConcurrently (one lookup per open connection at once; per lookup = score / open).
#     Under TCG the figures are EMULATED; the shape (per-lookup cost falling with batching) is the point.
#     usage: benchmarks/connection-setup/diag-lab.sh   (env: LAB_ACCEL=auto|kvm|tcg)
. "$(dirname "$0")/../lib/common.sh"
bench_init connection-setup-diag "benchmarks/connection-setup/diag-lab.sh (LAB_ACCEL=${LAB_ACCEL:-auto})"
build_native
build_jvm
[ "${SUMMARY_ONLY:-0}" = 1 ] || lab_run "$BENCH_DIR/connection-setup/diag-guest.sh"
{
    grep -h '^EMULATED' "$OUT/machine.txt" | head -1
    grep -h 'open=' "$OUT/guest-console.log" | sed 's/^/    /' || true
    echo
    echo "JMH 1.37 in-process (-f 0), average time; error = 99.9% CI half-width; per lookup = score / open for lookupAllConcurrently"
    echo
    echo "| benchmark | open | score (us/op) | error | per lookup (us) |"
    echo "|---|---|---|---|---|"
    grep '^jmh ' "$RAW" | while read -r _ name open score err; do
        per=$score; [ "$name" = lookupAllConcurrently ] && per=$(awk -v s="$score" -v n="$open" 'BEGIN{printf "%.1f", s/n}')
        echo "| $name | $open | $score | $err | $per |"
    done
} | tee "$OUT/summary.md"
grep -q '^jmh ' "$RAW" || die "the guest produced no measurements (see $OUT/guest-console.log)"
