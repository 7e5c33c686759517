#!/usr/bin/env bash
# 6. SMC-D vs TCP in the kernel lab guest (Debian 6.12, loopback-ISM), under the icount model by
#    default (qemu -icount shift=0,sleep=off, one vCPU: guest time counts instructions, so the
#    figures do not move with the host's load). The same streaming (one-way stream into a sink,
#    time until acknowledged) and request/response (64 B ping-pong) workloads over SMC-D and
#    over TCP loopback:
#      - anchor: the C pair (native/netbench.c) on AF_SMC vs AF_INET sockets;
#      - subject: our Vert.x node (BenchServer node: echo + sink) on SmcTransport vs the stock
#        epoll transport, driven by the same C client (AF_SMC vs AF_INET).
#    One subject process alive at a time, each warmed up until steady (WARM lines in warm.txt).
#    smc_diag is read during each SMC run to prove the connections were SMC-D, not a fallback.
#    RUNS (default 2 under icount) boots the guest that many times: the figures must repeat.
#    IMPLS picks the subjects ("c vertx" by default, "c" with JVM=0): IMPLS=vertx measures only our
#    node and takes the C pair's figures for the goals from ANCHOR_RAW (default: the C pair's run
#    kept in results/smc-vs-tcp/c-pair-20261205T0037Z/), since a C figure repeats within 0.3%.
#    DIAG=1: after each subject's measured rounds, its system calls per trip (strace -c) and a perf
#    profile of the guest over one 64 B window (diag.txt; never inside the measured rounds).
#    usage: benchmarks/smc-vs-tcp/run.sh   (env: LAB_ACCEL=icount|tcg|kvm RUNS=2 ROUNDS_LAB=3 BYTES=auto DURATION=1 JVM=1 IMPLS= DIAG=0)
#    LINK=rxe-veth (row 7b): the same subjects over SMC-R inside one guest (a veth pair with one
#    Soft-RoCE device on each end, Debian's smc.ko without loopback-ISM; guest.sh says how), so the
#    SMC-R row gets sleep=off and repeats like the one-guest rows; results in results/smcr-1vm-icount/.
. "$(dirname "$0")/../lib/common.sh"
[ -n "${IMPLS:-}" ] || { IMPLS=c; [ "${JVM:-1}" = 1 ] && IMPLS="c vertx"; }
one_of IMPLS "c vertx" $IMPLS
case "${LINK:=loopback}" in
    loopback) NAME=smc-vs-tcp WHAT="SMC-D (loopback-ISM) vs TCP loopback in the lab guest";;
    rxe-veth) NAME=smcr-1vm-icount WHAT="SMC-R (Soft-RoCE on each end of a veth pair, one guest) vs TCP over the same veth"
              export LAB_SMC_LINK=rxe-veth LAB_RUNNER_OPTS="-t stock ${LAB_RUNNER_OPTS:-}";;
    *) die "LINK must be loopback or rxe-veth, not '$LINK'";;
esac
# the kept C pair's run (the anchor when IMPLS leaves the C pair out) is SMC-D's: no anchor for SMC-R
[ "$LINK" = loopback ] || [[ " $IMPLS " == *" c "* ]] || die "LINK=$LINK needs the C pair in the same run (IMPLS with c)"
lab_bench_init $NAME "benchmarks/smc-vs-tcp/run.sh LINK=$LINK BYTES=${BYTES:=auto} DURATION=${DURATION:=1} JVM=${JVM:=1} IMPLS='$IMPLS' DIAG=${DIAG:=0}${AOT:+ AOT=$AOT}${RUNS_PARALLEL:+ RUNS_PARALLEL=$RUNS_PARALLEL}"
ANCHOR=()
case " $IMPLS " in
    *" c "*) ;;
    *) ANCHOR=(--anchor-raw "${ANCHOR_RAW:-$BENCH_DIR/results/smc-vs-tcp/c-pair-20261205T0037Z/raw.txt}")
       echo "anchor: the C pair's figures from ${ANCHOR[1]#"$REPO_DIR"/}" >> "$OUT/machine.txt";;
esac
if [ "${SUMMARY_ONLY:-0}" != 1 ]; then
    build_native
    [[ " $IMPLS " == *" vertx "* ]] && build_jvm
    [ "${AOT:-0}" = 1 ] && aot_train "$BENCH_DIR/smc-vs-tcp/guest.sh" 1 "$BYTES" "$DURATION" "$JVM" "$IMPLS" 0   # lib/common.sh
    lab_runs "$BENCH_DIR/smc-vs-tcp/guest.sh" "$ROUNDS" "$BYTES" "$DURATION" "$JVM" "$IMPLS" "$DIAG"
fi
{
    grep -h -m1 -E '^(run=1 )?(ICOUNT|EMULATED)' "$OUT/machine.txt" | sed 's/^run=1 //'
    grep -h '^MODES' "$OUT"/guest-console*.log | sed 's/^/    /'
    echo
    if [ "$LAB_ACCEL" = icount ]; then
        "$PY" "$BENCH_DIR/lib/icount_report.py" "$RAW" --subject smc --anchor tcp \
            --metrics MBps,mean_us,p50_us,p99_us,server_instr_per_trip,server_instr_per_MiB,server_slices_per_trip,guest_ctxt_per_trip \
            --goals smc-vs-tcp "${ANCHOR[@]}" \
            --title "$WHAT; param = implementation-workload"
    else
        "$PY" "$BENCH_DIR/lib/summarize.py" "$RAW" --subject smc --anchor tcp --metrics MBps,mean_us,p50_us,p99_us \
            --title "$WHAT; param = implementation/workload"
    fi
} | tee "$OUT/summary.md"
grep -q . "$RAW" || die "the guest produced no measurements (see $OUT/guest-console*.log)"
