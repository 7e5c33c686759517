#!/usr/bin/env bash
# 1. HTTP on the transport (host): Vert.x HTTP "hello" on SmcTransport (its TCP path on a kernel
#    without SMC) vs the same server on Vert.x's stock epoll transport, driven by wrk over
#    127.0.0.1 with keep-alive. The figure that decides is the server's CPU time per request
#    (/proc/PID/stat utime+stime over each wrk run), which host noise moves far less than
#    throughput. A second stock server ("stock2") runs in the same rounds: stock2/stock is the
#    A/A noise floor of every ratio, from the same run. Each round runs stock, smc, stock2.
#    Host-timed: run it on a quiet machine (load < 1; the load at start is in machine.txt).
#    The instruction-count version of this row runs in the lab: http-transport/icount.sh.
#    usage: benchmarks/http-transport/run.sh   (env: ROUNDS=5 DURATION=5 CONNS="10 50 200" PROFILE=0)
. "$(dirname "$0")/../lib/common.sh"
bench_init http-transport "benchmarks/http-transport/run.sh (ROUNDS=$ROUNDS DURATION=${DURATION:=5} CONNS=\"${CONNS:=10 50 200}\")"
if [ "${SUMMARY_ONLY:-0}" != 1 ]; then
    need_pkg wrk
    build_jvm
    echo "wrk: $(wrk -v 2>&1 | head -1)" >> "$OUT/machine.txt"
    start_jvm_server stock http stock 18081 || die "stock server failed"
    start_jvm_server stock2 http stock 18083 || die "second stock server failed"
    start_subject smc http smc 18082

    # wrk_run PORT CONNS SECONDS -> "requests=... rps=... p50_ms=... p99_ms=..."
    wrk_run() {
        wrk -t1 -c"$2" -d"$3"s --latency "http://127.0.0.1:$1/" | awk '
            function ms(v) { if (v ~ /us$/) return v * 0.001; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
            / requests in / { req = $1 }
            /Requests\/sec:/ { rps = $2 }
            /^ +50%/ { p50 = ms($2) }
            /^ +99%/ { p99 = ms($2) }
            /Non-2xx|Socket errors/ { err = err " " $0 }
            END { printf "requests=%s rps=%s p50_ms=%.3f p99_ms=%.3f%s\n", req, rps, p50, p99, (err ? " errors=1" : "") }'
    }
    for c in $CONNS; do   # warm the JITs before measuring
        wrk_run 18081 "$c" 3 >/dev/null; wrk_run 18083 "$c" 3 >/dev/null; subject wrk_run 18082 "$c" 3 >/dev/null
    done
    for r in $(seq 1 "$ROUNDS"); do
        for c in $CONNS; do
            record bench=http param=c$c variant=stock round=$r $(with_cpu "$PID_stock" requests wrk_run 18081 "$c" "$DURATION")
            subject record bench=http param=c$c variant=smc round=$r $(subject with_cpu "$PID_smc" requests wrk_run 18082 "$c" "$DURATION")
            record bench=http param=c$c variant=stock2 round=$r $(with_cpu "$PID_stock2" requests wrk_run 18083 "$c" "$DURATION")
        done
    done
fi
M=server_cpu_us_per_op,rps,p50_ms,p99_ms
summarize --subject smc --anchor stock --metrics $M \
    --title "HTTP hello, SmcTransport (TCP path) vs stock epoll, wrk -t1 keep-alive; server_cpu_us_per_op decides (goal <= 1.02)"
{
    echo
    "$PY" "$BENCH_DIR/lib/summarize.py" "$RAW" --subject stock2 --anchor stock --metrics $M \
        --title "A/A noise floor of the same run: a second stock server vs the first (ideal 1.00)"
} | tee -a "$OUT/summary.md"
