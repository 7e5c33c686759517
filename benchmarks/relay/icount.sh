#!/usr/bin/env bash
# 3 (lab). Relay in the kernel lab guest under the icount model: a TCP client through our relay
#    handler to an SMC-D upstream (SmcTransport: plain TCP listener, SMC client leg) vs HAProxy
#    (mode tcp, with and without splice-auto) TCP to TCP, plus our relay TCP to TCP, all to the
#    same C targets. One relay alive at a time; RUNS=2 boots twice to show repeatability.
#    BASELINE=<rev> adds relay-smc-base / relay-base (the relay with the handlers jar of that
#    revision) for before/after in the same runs; DIAG=1 profiles one stream per variant (diag.txt).
#    usage: benchmarks/relay/icount.sh   (env: RUNS=2 ROUNDS_LAB=3 BYTES=67108864 DURATION=1 BASELINE= DIAG=0
#    LAB_RELAY_VARIANTS="haproxy haproxy-splice haproxy-spliced relay relay-smc": which proxies the guest
#    measures (haproxy-spliced: splicing forced, see relay/haproxy.sh);
#    LAB_RELAY_WARM_MAX=150: at most this many stream warm-up windows; LAB_RELAY_STREAM_ONLY=1: no 64 B trips)
. "$(dirname "$0")/../lib/common.sh"
one_of LAB_RELAY_VARIANTS "haproxy haproxy-splice haproxy-spliced relay relay-smc" ${LAB_RELAY_VARIANTS:-}
lab_bench_init relay-icount "benchmarks/relay/icount.sh BYTES=${BYTES:=67108864} DURATION=${DURATION:=1}${BASELINE:+ BASELINE=$BASELINE}${DIAG:+ DIAG=$DIAG}${LAB_RELAY_VARIANTS:+ LAB_RELAY_VARIANTS=\"$LAB_RELAY_VARIANTS\"}${LAB_RELAY_WARM_MAX:+ LAB_RELAY_WARM_MAX=$LAB_RELAY_WARM_MAX}${LAB_RELAY_STREAM_ONLY:+ LAB_RELAY_STREAM_ONLY=$LAB_RELAY_STREAM_ONLY}${AOT:+ AOT=$AOT}${RUNS_PARALLEL:+ RUNS_PARALLEL=$RUNS_PARALLEL}"
if [ "${SUMMARY_ONLY:-0}" != 1 ]; then
    need_pkg haproxy
    echo "haproxy: $(haproxy -v | head -1)" >> "$OUT/machine.txt"
    build_native
    build_jvm
    BASE_CP_FILE=
    [ -z "${BASELINE:-}" ] || baseline_classpath "$BASELINE"
    if [ "${AOT:-0}" = 1 ]; then   # the JVM relays from AOT caches trained in one boot first (lib/common.sh aot_train)
        [ -z "$BASE_CP_FILE" ] || die "AOT=1 with BASELINE: the baseline's class path has no cache"
        aot_train "$BENCH_DIR/relay/guest.sh" 1 "$BYTES" "$DURATION" "" 0
    fi
    lab_runs "$BENCH_DIR/relay/guest.sh" "$ROUNDS" "$BYTES" "$DURATION" "$BASE_CP_FILE" "${DIAG:-0}"
fi
M=MBps,server_instr_per_MiB,mean_us,p50_us,p99_us,server_instr_per_trip
{
    grep -h -m1 -E '^(run=1 )?(ICOUNT|EMULATED)' "$OUT/machine.txt" | sed 's/^run=1 //'
    grep -h '^MODES' "$OUT"/guest-console*.log | sed 's/^/    /'
    for anchor in haproxy haproxy-splice haproxy-spliced; do
        grep -q "variant=$anchor " "$RAW" || continue
        echo
        "$PY" "$BENCH_DIR/lib/icount_report.py" "$RAW" --subject relay-smc --anchor $anchor --metrics $M \
            --title "Relay, TCP client -> our relay -> SMC-D upstream vs $anchor TCP -> TCP"
    done
    for s in relay relay-base; do
        grep -q "variant=$s " "$RAW" || continue
        # TCP -> TCP on both sides: against HAProxy splicing, the same work (no SMC-D copy)
        for anchor in haproxy haproxy-splice haproxy-spliced; do
            grep -q "variant=$anchor " "$RAW" || continue
            echo
            "$PY" "$BENCH_DIR/lib/icount_report.py" "$RAW" --subject $s --anchor $anchor --metrics $M \
                --title "Relay TCP -> TCP: our relay ($s, stock transport) vs $anchor"
        done
    done
    if grep -q 'variant=relay-smc-base ' "$RAW"; then
        echo
        "$PY" "$BENCH_DIR/lib/icount_report.py" "$RAW" --subject relay-smc --anchor relay-smc-base --metrics $M \
            --title "This revision (relay-smc) vs the handlers of the baseline (relay-smc-base), same runs"
    fi
    if grep -q 'variant=relay-base ' "$RAW"; then
        echo
        "$PY" "$BENCH_DIR/lib/icount_report.py" "$RAW" --subject relay --anchor relay-base --metrics $M \
            --title "This revision (relay) vs the handlers of the baseline (relay-base), same runs"
    fi
} | tee "$OUT/summary.md"
grep -q . "$RAW" || die "the guest produced no measurements (see $OUT/guest-console*.log)"
