#!/usr/bin/env bash
# 3 (lab). Relay in the kernel lab guest under the icount model: a TCP client through our relay
#    handler to an SMC-D upstream (SmcTransport: plain TCP listener, SMC client leg) vs HAProxy
#    (mode tcp, with and without splice-auto) TCP to TCP, plus our relay TCP to TCP, all to the
#    same C targets. One relay alive at a time; RUNS=2 boots twice to show repeatability.
#    usage: benchmarks/relay/icount.sh   (env: RUNS=2 ROUNDS_LAB=3 BYTES=67108864 DURATION=1
#    LAB_RELAY_VARIANTS="haproxy haproxy-splice relay relay-smc": which proxies the guest measures)
. "$(dirname "$0")/../lib/common.sh"
lab_bench_init relay-icount "benchmarks/relay/icount.sh BYTES=${BYTES:=67108864} DURATION=${DURATION:=1}${LAB_RELAY_VARIANTS:+ LAB_RELAY_VARIANTS=\"$LAB_RELAY_VARIANTS\"}"
if [ "${SUMMARY_ONLY:-0}" != 1 ]; then
    need_pkg haproxy
    echo "haproxy: $(haproxy -v | head -1)" >> "$OUT/machine.txt"
    build_native
    build_jvm
    lab_runs "$BENCH_DIR/relay/guest.sh" "$ROUNDS" "$BYTES" "$DURATION"
fi
M=MBps,server_instr_per_MiB,mean_us,p50_us,p99_us,server_instr_per_trip
{
    grep -h -m1 -E '^(run=1 )?(ICOUNT|EMULATED)' "$OUT/machine.txt" | sed 's/^run=1 //'
    grep -h '^MODES' "$OUT"/guest-console*.log | sed 's/^/    /'
    for anchor in haproxy haproxy-splice; do
        echo
        "$PY" "$BENCH_DIR/lib/icount_report.py" "$RAW" --subject relay-smc --anchor $anchor --metrics $M \
            --title "Relay, TCP client -> our relay -> SMC-D upstream vs $anchor TCP -> TCP"
    done
    echo
    "$PY" "$BENCH_DIR/lib/icount_report.py" "$RAW" --subject relay --anchor haproxy --metrics $M \
        --title "Relay TCP -> TCP: our relay (stock transport) vs haproxy"
} | tee "$OUT/summary.md"
grep -q . "$RAW" || die "the guest produced no measurements (see $OUT/guest-console*.log)"
