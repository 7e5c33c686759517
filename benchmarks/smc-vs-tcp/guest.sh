# Runs inside the lab guest (see run.sh): args ROUNDS BYTES DURATION JVM.
if [ -f "${SMCVM_RUNDIR:-/nonexistent}/args" ]; then mapfile -t ARGS < "$SMCVM_RUNDIR/args"; else ARGS=("$@"); fi
ROUNDS=${ARGS[0]:-3}; BYTES=${ARGS[1]:-auto}; DURATION=${ARGS[2]:-5}; JVM=${ARGS[3]:-1}
. "$(dirname "${BASH_SOURCE[0]}")/../lib/guest-common.sh"
if [ "$BYTES" = auto ]; then
    if [ "$ACCEL" = kvm ]; then BYTES=1073741824; else BYTES=67108864; fi   # TCG: 64 MiB keeps the guest under its timeout
fi
echo "GUEST: rounds=$ROUNDS bytes=$BYTES duration=$DURATION jvm=$JVM"
PIDS=()
serve() { # LABEL CMD...
    "${@:2}" > "$WORK/$1.log" 2>&1 &
    PIDS+=("$!")
    wait_ready "$WORK/$1.log" "$!" || { echo "GUEST: $1 did not start"; return 1; }
}
serve c-sink-tcp "$NETBENCH" serve-sink 19201
serve c-sink-smc "$NETBENCH" serve-sink 19202 --smc
serve c-echo-tcp "$NETBENCH" serve-echo 19203
serve c-echo-smc "$NETBENCH" serve-echo 19204 --smc
IMPLS="c"
if [ "$JVM" = 1 ]; then
    CP=$(cat "$BENCH_DIR/build/classpath-lab.txt")   # staged by build_jvm
    J=("$JAVA" -Xms256m -Xmx256m --enable-native-access=ALL-UNNAMED -cp "$CP" io.smcvertx.bench.BenchServer)
    t0=$(date +%s)
    # the four JVMs start in parallel: each takes 60-105 s under TCG
    "${J[@]}" node-sink stock 19211 > "$WORK/vx-sink-tcp.log" 2>&1 & P1=$!
    "${J[@]}" node-sink smc 19212 > "$WORK/vx-sink-smc.log" 2>&1 & P2=$!
    "${J[@]}" node-echo stock 19213 > "$WORK/vx-echo-tcp.log" 2>&1 & P3=$!
    "${J[@]}" node-echo smc 19214 > "$WORK/vx-echo-smc.log" 2>&1 & P4=$!
    PIDS+=("$P1" "$P2" "$P3" "$P4")
    ok=1
    wait_ready "$WORK/vx-sink-tcp.log" $P1 && wait_ready "$WORK/vx-sink-smc.log" $P2 \
        && wait_ready "$WORK/vx-echo-tcp.log" $P3 && wait_ready "$WORK/vx-echo-smc.log" $P4 || ok=0
    echo "GUEST: Vert.x servers ready=$ok after $(( $(date +%s) - t0 )) s"
    if [ $ok = 1 ]; then IMPLS="c vertx"; else
        for f in "$WORK"/vx-*.log; do echo "GUEST: $f: $(grep -o -m1 'subject not landed: .*' "$f" || tail -1 "$f")"; done
    fi
fi
port() { # IMPL KIND MODE -> port
    local base; [ "$1" = c ] && base=19200 || base=19210
    local off; case "$2-$3" in sink-tcp) off=1;; sink-smc) off=2;; echo-tcp) off=3;; echo-smc) off=4;; esac
    echo $((base + off))
}
flag() { [ "$1" = smc ] && echo --smc; }
# warm-up (JIT) and the smc_diag proof: modes of the SMC sockets while an rr run's connection is open
for impl in $IMPLS; do
    for mode in tcp smc; do
        "$NETBENCH" stream 127.0.0.1 "$(port $impl sink $mode)" $((BYTES / 4)) 65536 $(flag $mode) > /dev/null
        echo "MODES impl=$impl mode=$mode $(NETBENCH_MODES=1 "$NETBENCH" rr 127.0.0.1 "$(port $impl echo $mode)" 64 3 1 $(flag $mode) | grep -o 'smcd=.*')"
    done
done
for r in $(seq 1 "$ROUNDS"); do
    for impl in $IMPLS; do
        for mode in tcp smc; do
            raw bench=smc-vs-tcp param=$impl-stream variant=$mode round=$r $("$NETBENCH" stream 127.0.0.1 "$(port $impl sink $mode)" "$BYTES" 65536 $(flag $mode))
        done
        for mode in tcp smc; do
            raw bench=smc-vs-tcp param=$impl-rr64 variant=$mode round=$r $("$NETBENCH" rr 127.0.0.1 "$(port $impl echo $mode)" 64 "$DURATION" 1 $(flag $mode))
        done
    done
done
kill "${PIDS[@]}" 2>/dev/null
exit 0
