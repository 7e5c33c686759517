#!/usr/bin/env bash
# 2 (lab). Handler SPI echo vs NetSocket.pipeTo in the kernel lab guest under the icount model
#    (instructions, independent of host load; no cache or memory effects, so copies count as the
#    instructions that move the bytes): the same subjects and C client as handler-spi/run.sh, on
#    TCP loopback, one server alive at a time. BASELINE=<rev> adds the echo subject with the
#    handlers jar of that revision (spi-base), so a change is measured before/after in one run.
#    usage: benchmarks/handler-spi/icount.sh   (env: RUNS=2 ROUNDS_LAB=3 DURATION=1 SIZES="64 4096 65536" CONNS=4 BASELINE= DIAG_SIZES=:
#    sizes whose window is profiled with perf after the measured rounds, diag.txt)
. "$(dirname "$0")/../lib/common.sh"
lab_bench_init handler-spi-icount "benchmarks/handler-spi/icount.sh DURATION=${DURATION:=1} SIZES=\"${SIZES:=64 4096 65536}\" CONNS=${CONNS:=4}${BASELINE:+ BASELINE=$BASELINE}${DIAG_SIZES:+ DIAG_SIZES=\"$DIAG_SIZES\"}"
if [ "${SUMMARY_ONLY:-0}" != 1 ]; then
    build_native
    build_jvm
    BASE_CP_FILE=
    [ -z "${BASELINE:-}" ] || baseline_classpath "$BASELINE"
    lab_runs "$BENCH_DIR/handler-spi/guest.sh" "$ROUNDS" "$DURATION" "$SIZES" "$CONNS" "$BASE_CP_FILE" "${DIAG_SIZES:-}"
fi
M=MBps,mean_us,p99_us,server_instr_per_trip
{
    grep -h -m1 -E '^(run=1 )?(ICOUNT|EMULATED)' "$OUT/machine.txt" | sed 's/^run=1 //'
    echo
    "$PY" "$BENCH_DIR/lib/icount_report.py" "$RAW" --subject spi --anchor pipe --metrics $M \
        --title "Echo: Mutiny handler SPI vs NetSocket.pipeTo, $CONNS connections, message size = param (bytes); goal >= 0.9 (MBps)"
    if grep -q 'variant=spi-base' "$RAW"; then
        echo
        "$PY" "$BENCH_DIR/lib/icount_report.py" "$RAW" --subject spi --anchor spi-base --metrics $M \
            --title "This revision (spi) vs the handlers of the baseline (spi-base), same runs"
    fi
} | tee "$OUT/summary.md"
grep -q . "$RAW" || die "the guest produced no measurements (see $OUT/guest-console*.log)"
