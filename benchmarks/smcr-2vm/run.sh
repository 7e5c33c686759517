#!/usr/bin/env bash
# 7. SMC-R between two lab guests (deploy/lab/run-2vm.sh: Soft-RoCE rxe0 on each guest's NIC, one
#    qemu socket link), both under icount: the C pair over SMC-R vs over TCP on the same link, and
#    our Vert.x node (SmcTransport vs stock epoll) driven by the same C client. The guests wait on
#    each other in real time, so guest time mixes instructions with host time (LAB_ICOUNT_SLEEP=on:
#    with sleep=off an idle guest would jump its clock to its next timer while the other guest
#    answers, and fire TCP's and rxe's timers early). The figures are therefore instruction counts
#    alone: both guests' non-idle time (/proc/timer_list) around every window, per round trip and
#    per MiB streamed (the client's inside netbench's window, the server's around it minus the
#    control service's own cost). Windows are long (DURATION guest-seconds of ping-pong, BYTES per
#    stream) so that per-window costs fade. One subject at a time, started by the server guest's
#    ctl.py on request. First the raw-RDMA baseline on the same link: verbs SEND/RECV ping-pongs of 64 B,
#    rdma-core's C ibv_rc_pingpong (VERBS=1) and smc-disni's PingPong over DiSNI (DISNI=1, a JVM pair:
#    not governed by JVM=, which is the Vert.x node), each reported as a ratio to the C pair's TCP.
#    usage: benchmarks/smcr-2vm/run.sh   (env: RUNS=2 ROUNDS_LAB=3 BYTES=67108864 DURATION=10 JVM=1 VERBS=1
#           DISNI=1 VERBS_TRIPS=3000 VERBS_SMALL=30: ibv_rc_pingpong's two window sizes)
. "$(dirname "$0")/../lib/common.sh"
ROUNDS=${ROUNDS_LAB:-3}
export LAB_ACCEL=icount LAB_ICOUNT_SLEEP=${LAB_ICOUNT_SLEEP:-on}
bench_init smcr-2vm "benchmarks/smcr-2vm/run.sh (RUNS=${RUNS:=2} ROUNDS_LAB=$ROUNDS BYTES=${BYTES:=67108864} DURATION=${DURATION:=10} JVM=${JVM:=1} VERBS=${VERBS:=1} DISNI=${DISNI:=1} VERBS_TRIPS=${VERBS_TRIPS:=3000} VERBS_SMALL=${VERBS_SMALL:=30} LAB_ICOUNT_SLEEP=$LAB_ICOUNT_SLEEP)"
if [ "${SUMMARY_ONLY:-0}" != 1 ]; then
    build_native
    [ "$JVM" = 1 ] && build_jvm
    # smc-disni's classes and its staged class path (target/lab-lib), as CI's two-guest phase uses them
    if [ "$DISNI" = 1 ] && { [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -d "$REPO_DIR/smc-disni/target/lab-lib" ]; }; then
        (cd "$REPO_DIR" && JAVA_HOME="$JDK" mvn -B -q -pl smc-disni -am -DskipTests package) || die "maven build of smc-disni failed"
    fi
    : > "$OUT/warm.txt"
    for i in $(seq 1 "$RUNS"); do
        console="$OUT/guest-console-run$i.log"
        echo "lab-run$i: LAB_ACCEL=icount LAB_ICOUNT_SLEEP=$LAB_ICOUNT_SLEEP deploy/lab/run-2vm.sh --timeout ${SMCVM_TIMEOUT:=10800} benchmarks/smcr-2vm/guest.sh $ROUNDS $BYTES $DURATION $JVM $VERBS $DISNI $VERBS_TRIPS $VERBS_SMALL (started $(date -u +%H:%M:%SZ), host load $(cut -d' ' -f1-3 /proc/loadavg))" >> "$OUT/machine.txt"
        "$REPO_DIR/deploy/lab/run-2vm.sh" --timeout "$SMCVM_TIMEOUT" "$BENCH_DIR/smcr-2vm/guest.sh" "$ROUNDS" "$BYTES" "$DURATION" "$JVM" "$VERBS" "$DISNI" "$VERBS_TRIPS" "$VERBS_SMALL" 2>&1 \
            | stdbuf -oL tr -d '\r' | tee "$console" | grep --line-buffered -E '^(client|server)\| (RAW|WARM .*(steady|window=1 )|GUEST|MODES|ICOUNT)|^run-2vm' || true
        grep '^client| RAW ' "$console" | sed "s/^client| RAW /run=$i /" >> "$RAW" || true
        grep '^client| WARM ' "$console" | sed "s/^client| /run=$i /" >> "$OUT/warm.txt" || true
        grep -E '^(client|server)\| (GUEST|ICOUNT)|^run-2vm' "$console" | sed "s/^/run=$i /" >> "$OUT/machine.txt" || true
    done
fi
{
    grep -h -m1 'ICOUNT' "$OUT/machine.txt" | sed 's/^run=1 [a-z]*| //'
    grep -h 'MODES' "$OUT"/guest-console*.log | sed 's/^client| /    /'
    echo
    "$PY" "$BENCH_DIR/lib/icount_report.py" "$RAW" --subject smc --anchor tcp --goals smcr-2vm \
        --model "Instruction counts of both guests (qemu -icount shift=0,sleep=$LAB_ICOUNT_SLEEP, one vCPU each): busy time, not guest time, is the figure." \
        --metrics instr_per_trip,server_instr_per_trip,client_instr_per_trip,instr_per_MiB,server_instr_per_MiB,client_instr_per_MiB \
        --title "SMC-R (Soft-RoCE) vs TCP between two lab guests: instructions of both guests; param = implementation-workload"
    if grep -q 'param=verbs-rr64' "$RAW"; then
        echo
        "$PY" "$BENCH_DIR/lib/icount_report.py" "$RAW" --subject disni --anchor c \
            --model "Instruction counts of both guests, as above. c = rdma-core's ibv_rc_pingpong, disni = smc-disni's PingPong over DiSNI (JVM); both RC SEND/RECV, 64 B." \
            --metrics instr_per_trip,server_instr_per_trip,client_instr_per_trip \
            --title "The raw-RDMA baseline: verbs ping-pong over DiSNI vs rdma-core's C ping-pong, same link"
    fi
} | tee "$OUT/summary.md"
grep -q . "$RAW" || die "the guests produced no measurements (see $OUT/guest-console*.log)"
