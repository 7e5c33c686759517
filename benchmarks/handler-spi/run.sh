#!/usr/bin/env bash
# 2. Handler SPI: TCP echo through the Mutiny ProtocolHandler SPI (the `echo` handler, with
#    backpressure) vs a hand-written Vert.x NetSocket pipe echo (socket.pipeTo(socket)), both on
#    the stock epoll transport, both driven by the same C client (native/netbench.c rr):
#    CONNS connections, one message in flight each, echo verified by length.
#    BASELINE=<git rev>: also runs the same echo subject with the handlers module built at that
#    revision ("spi-base", same JVM flags and dependencies, only the handlers jar swapped), in the
#    same rounds, so a change to the SPI is measured against its own before in one run.
#    A second pipe server ("pipe2") runs in the same rounds: pipe2/pipe is the A/A noise floor.
#    Host-timed: run it on a quiet machine (load < 1; the load at start is in machine.txt).
#    usage: benchmarks/handler-spi/run.sh   (env: ROUNDS=5 DURATION=5 SIZES="64 4096 65536" CONNS=4 BASELINE=)
. "$(dirname "$0")/../lib/common.sh"
bench_init handler-spi "benchmarks/handler-spi/run.sh (ROUNDS=$ROUNDS DURATION=${DURATION:=5} SIZES=\"${SIZES:=64 4096 65536}\" CONNS=${CONNS:=4}${BASELINE:+ BASELINE=$BASELINE})"
build_native
build_jvm
BASE_OK=0
if [ -n "${BASELINE:-}" ]; then
    build_baseline_handlers "$BASELINE"
    cur_jar=$(tr ':' '\n' < "$BENCH_DIR/jvm/target/classpath.txt" | grep -E '/handlers/target/(smc-)?handlers-[^/]*\.jar$' | head -1)
    [ -n "$cur_jar" ] || die "handlers jar not found in jvm/target/classpath.txt"
    CP_BASE=${CP//$cur_jar/$BASE_JAR}
    start_server spibase "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP_BASE" io.smcvertx.bench.BenchServer echo spi 18093 \
        && BASE_OK=1 || echo "bench: baseline subject did not start (log: $OUT/spibase.log)" >&2
fi
start_jvm_server pipe echo pipe 18091 || die "pipe echo failed"
start_jvm_server pipe2 echo pipe 18094 || die "second pipe echo failed"
start_subject spi echo spi 18092
for s in $SIZES; do   # warm the JITs
    "$NETBENCH" rr 127.0.0.1 18091 "$s" 3 "$CONNS" >/dev/null; "$NETBENCH" rr 127.0.0.1 18094 "$s" 3 "$CONNS" >/dev/null; subject "$NETBENCH" rr 127.0.0.1 18092 "$s" 3 "$CONNS" >/dev/null
    [ "$BASE_OK" = 1 ] && "$NETBENCH" rr 127.0.0.1 18093 "$s" 3 "$CONNS" >/dev/null
done
for r in $(seq 1 "$ROUNDS"); do
    for s in $SIZES; do
        record bench=echo param=$s variant=pipe round=$r $("$NETBENCH" rr 127.0.0.1 18091 "$s" "$DURATION" "$CONNS")
        subject record bench=echo param=$s variant=spi round=$r $(subject "$NETBENCH" rr 127.0.0.1 18092 "$s" "$DURATION" "$CONNS")
        record bench=echo param=$s variant=pipe2 round=$r $("$NETBENCH" rr 127.0.0.1 18094 "$s" "$DURATION" "$CONNS")
        if [ "$BASE_OK" = 1 ]; then
            record bench=echo param=$s variant=spi-base round=$r $("$NETBENCH" rr 127.0.0.1 18093 "$s" "$DURATION" "$CONNS")
        fi
    done
done
summarize --subject spi --anchor pipe --metrics MBps,p99_us --title "Echo: Mutiny handler SPI vs NetSocket.pipeTo, $CONNS connections, message size = param (bytes)"
{
    echo
    "$PY" "$BENCH_DIR/lib/summarize.py" "$RAW" --subject pipe2 --anchor pipe --metrics MBps,p99_us \
        --title "A/A noise floor of the same run: a second pipeTo server vs the first (ideal 1.00)"
} | tee -a "$OUT/summary.md"
if [ "$BASE_OK" = 1 ]; then
    {
        echo
        "$PY" "$BENCH_DIR/lib/summarize.py" "$RAW" --subject spi-base --anchor pipe --metrics MBps,p99_us \
            --title "Baseline: handlers at $BASE_REV (spi-base) vs NetSocket.pipeTo"
        echo
        "$PY" "$BENCH_DIR/lib/summarize.py" "$RAW" --subject spi --anchor spi-base --metrics MBps,p99_us \
            --title "This revision (spi) vs handlers at $BASE_REV (spi-base)"
    } | tee -a "$OUT/summary.md"
fi
