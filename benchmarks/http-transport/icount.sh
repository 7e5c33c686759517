#!/usr/bin/env bash
# 1 (lab). HTTP hello in the kernel lab guest under the icount model (guest time = instructions,
#    independent of host load): instructions per request of SmcTransport with SMC disabled (its
#    TCP path) vs Vert.x's stock epoll transport (goal <= 1.02x), and SmcTransport on SMC-D vs
#    stock on TCP (reported). Two figures per request: the whole guest (ns_per_req, client and
#    kernel included: what rps would see) and the server process alone (server_instr_per_req,
#    from its threads' schedstat). One server alive at a time; RUNS=2 boots twice to show repeatability.
#    usage: benchmarks/http-transport/icount.sh   (env: RUNS=2 ROUNDS_LAB=3 DURATION=1 CONNS=10
#    LAB_HTTP_VARIANTS="stock smc-off smc": which servers the guest measures)
. "$(dirname "$0")/../lib/common.sh"
one_of LAB_HTTP_VARIANTS "stock smc-off smc" ${LAB_HTTP_VARIANTS:-}
lab_bench_init http-transport-icount "benchmarks/http-transport/icount.sh DURATION=${DURATION:=1} CONNS=\"${CONNS:=10}\"${LAB_HTTP_VARIANTS:+ LAB_HTTP_VARIANTS=\"$LAB_HTTP_VARIANTS\"}${AOT:+ AOT=$AOT}${RUNS_PARALLEL:+ RUNS_PARALLEL=$RUNS_PARALLEL}"
if [ "${SUMMARY_ONLY:-0}" != 1 ]; then
    build_native
    build_jvm
    [ "${AOT:-0}" = 1 ] && aot_train "$BENCH_DIR/http-transport/guest.sh" 1 "$DURATION" "$CONNS"   # lib/common.sh
    lab_runs "$BENCH_DIR/http-transport/guest.sh" "$ROUNDS" "$DURATION" "$CONNS"
fi
M=ns_per_req,server_instr_per_req,p50_us,p99_us
{
    grep -h -m1 -E '^(run=1 )?(ICOUNT|EMULATED)' "$OUT/machine.txt" | sed 's/^run=1 //'
    grep -h '^MODES' "$OUT"/guest-console*.log | sed 's/^/    /'
    echo
    "$PY" "$BENCH_DIR/lib/icount_report.py" "$RAW" --subject smc-off --anchor stock --metrics $M \
        --title "HTTP hello: SmcTransport with SMC disabled (its TCP path) vs stock epoll; goal <= 1.02x instructions per request"
    echo
    "$PY" "$BENCH_DIR/lib/icount_report.py" "$RAW" --subject smc --anchor stock --metrics $M \
        --title "HTTP hello: SmcTransport on SMC-D vs stock epoll on TCP (reported)"
} | tee "$OUT/summary.md"
grep -q . "$RAW" || die "the guest produced no measurements (see $OUT/guest-console*.log)"
