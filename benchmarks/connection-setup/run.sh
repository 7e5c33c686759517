#!/usr/bin/env bash
# 4a. Connection setup on this host: new connections per second accepted by a NetServer on
#     SmcTransport (TCP path here) vs the stock epoll transport. The server closes each
#     connection as soon as it is accepted; the C client connects, waits for that close, repeats.
#     A second stock server ("stock2") in the same rounds gives the A/A noise floor.
#     (4b, the SmcDiag lookup cost, needs kernel SMC: benchmarks/connection-setup/diag-lab.sh.)
#     usage: benchmarks/connection-setup/run.sh   (env: ROUNDS=5 DURATION=5)
. "$(dirname "$0")/../lib/common.sh"
bench_init connection-setup "benchmarks/connection-setup/run.sh (ROUNDS=$ROUNDS DURATION=${DURATION:=5})"
build_native
build_jvm
start_jvm_server stock accept stock 18111 || die "stock accept server failed"
start_jvm_server stock2 accept stock 18113 || die "second stock accept server failed"
start_subject smc accept smc 18112
"$NETBENCH" connect-rate 127.0.0.1 18111 3 >/dev/null; "$NETBENCH" connect-rate 127.0.0.1 18113 3 >/dev/null; subject "$NETBENCH" connect-rate 127.0.0.1 18112 3 >/dev/null
for r in $(seq 1 "$ROUNDS"); do
    record bench=accept param=accept variant=stock round=$r $("$NETBENCH" connect-rate 127.0.0.1 18111 "$DURATION")
    subject record bench=accept param=accept variant=smc round=$r $(subject "$NETBENCH" connect-rate 127.0.0.1 18112 "$DURATION")
    record bench=accept param=accept variant=stock2 round=$r $("$NETBENCH" connect-rate 127.0.0.1 18113 "$DURATION")
done
summarize --subject smc --anchor stock --metrics conns_per_s --title "Accepted connections per second, NetServer on SmcTransport (TCP path) vs stock epoll"
{
    echo
    "$PY" "$BENCH_DIR/lib/summarize.py" "$RAW" --subject stock2 --anchor stock --metrics conns_per_s \
        --title "A/A noise floor of the same run: a second stock server vs the first (ideal 1.00)"
} | tee -a "$OUT/summary.md"
