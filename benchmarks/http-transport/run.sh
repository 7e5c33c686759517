#!/usr/bin/env bash
# 1. HTTP on the transport: Vert.x HTTP "hello" on SmcTransport (its TCP path on a kernel
#    without SMC) vs the same server on Vert.x's stock epoll transport, driven by wrk over
#    127.0.0.1 with keep-alive. Both servers run at once; each round runs stock then smc.
#    usage: benchmarks/http-transport/run.sh   (env: ROUNDS=5 DURATION=5 CONNS="10 50 200" PROFILE=0)
. "$(dirname "$0")/../lib/common.sh"
bench_init http-transport${AA:+-aa} "benchmarks/http-transport/run.sh (AA=${AA:-0} ROUNDS=$ROUNDS DURATION=${DURATION:=5} CONNS=\"${CONNS:=10 50 200}\")"
need_pkg wrk
build_jvm
echo "wrk: $(wrk -v 2>&1 | head -1)" >> "$OUT/machine.txt"
start_jvm_server stock http stock 18081 || die "stock server failed"
# AA=1: both sides stock, to measure the noise floor of the ratio itself
TITLE="HTTP hello, SmcTransport (TCP path) vs stock epoll, wrk -t1 keep-alive"
SUBJ=smc; [ "${AA:-0}" = 1 ] && SUBJ=stock && TITLE="A/A calibration (noise floor): both sides stock epoll, wrk -t1 keep-alive"
start_subject smc http $SUBJ 18082

# wrk_run PORT CONNS SECONDS -> "rps=... p50_ms=... p99_ms=..."
wrk_run() {
    wrk -t1 -c"$2" -d"$3"s --latency "http://127.0.0.1:$1/" | awk '
        function ms(v) { if (v ~ /us$/) return v * 0.001; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /Requests\/sec:/ { rps = $2 }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        /Non-2xx|Socket errors/ { err = err " " $0 }
        END { printf "rps=%s p50_ms=%.3f p99_ms=%.3f%s\n", rps, p50, p99, (err ? " errors=1" : "") }'
}

for c in $CONNS; do   # warm both JITs before measuring
    wrk_run 18081 "$c" 3 >/dev/null; subject wrk_run 18082 "$c" 3 >/dev/null
done
for r in $(seq 1 "$ROUNDS"); do
    for c in $CONNS; do
        record bench=http param=c$c variant=stock round=$r $(wrk_run 18081 "$c" "$DURATION")
        subject record bench=http param=c$c variant=smc round=$r $(subject wrk_run 18082 "$c" "$DURATION")
    done
done
summarize --subject smc --anchor stock --metrics rps,p99_ms,p50_ms --title "$TITLE"
