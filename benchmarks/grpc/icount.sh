#!/usr/bin/env bash
# gRPC over SMC-D vs TCP in the kernel lab guest under the icount model (guest time = instructions,
# independent of host load; one vCPU). Subjects, one alive at a time: the echo service (GrpcBench:
# unary Say, client-streaming Sink, bytes) on smc-grpc at both ends on SMC-D (SmcGrpc.serverBuilder /
# channelBuilder: what the project offers), and on stock grpc-netty at both ends on TCP
# (NettyServerBuilder / NettyChannelBuilder.forAddress with their defaults: what a user has otherwise).
# The client is a JVM of its own (it must speak SMC), driven over a pipe. Figures: 64 B unary calls
# one at a time (mean_us = whole guest instructions per call / 1000) and a 64 MiB client stream in
# 32 KiB messages (MBps); the server process alone and the client alone from their threads' schedstat.
# Goal (issue 16): keep >= 90% of the C pair's absolute per-trip saving (SMC-D vs TCP) and of its stream
# gain, against the C pair's kept run of row 6 (ANCHOR_RAW). smc_diag proves SMC-D (MODES lines).
# DIAG=1 profiles one more window of each workload per variant, per symbol (diag.txt). AOT=1 first
# boots a training run (AOT_TRAIN_WINDOWS warm-up windows per workload, one round) whose JVMs each
# write a JDK 25 AOT cache with their method profiles, then runs every measured boot's JVMs from those
# caches (guest.sh, LAB_GRPC_AOT): the same profiles in every boot. RUNS_PARALLEL=1 boots the RUNS
# measured guests side by side (icount figures do not depend on the host's load).
#    usage: benchmarks/grpc/icount.sh   (env: RUNS=2 ROUNDS_LAB=3 BYTES=67108864 DURATION=1 MESSAGE=32768
#    LAB_GRPC_VARIANTS="stock smc" LAB_GRPC_WORKLOADS="rr stream" DIAG=0 AOT=0 AOT_TRAIN_WINDOWS=20)
. "$(dirname "$0")/../lib/common.sh"
ANCHOR_RAW=${ANCHOR_RAW:-$BENCH_DIR/results/smc-vs-tcp/c-pair-20261205T0037Z/raw.txt}
lab_bench_init grpc-icount "benchmarks/grpc/icount.sh BYTES=${BYTES:=67108864} DURATION=${DURATION:=1} MESSAGE=${MESSAGE:=32768} LAB_GRPC_VARIANTS=\"${LAB_GRPC_VARIANTS:=stock smc}\" LAB_GRPC_WORKLOADS=\"${LAB_GRPC_WORKLOADS:=rr stream}\" DIAG=${DIAG:=0} AOT=${AOT:=0}${RUNS_PARALLEL:+ RUNS_PARALLEL=$RUNS_PARALLEL}"
echo "anchor: the C pair's figures from ${ANCHOR_RAW#"$REPO_DIR"/}" >> "$OUT/machine.txt"
# aot_train: the training boot (its figures are not results: console in aot-train-console.log); its
# run dir lies inside the repository, which every later guest sees read-only at the same path, and the
# caches are only valid with the jars they were made from, so nothing is rebuilt in between
aot_train() {
    local run; run="$REPO_DIR/deploy/lab/runs/aot-grpc-$(date -u +%Y%m%dT%H%M%SZ)"
    local w=${AOT_TRAIN_WINDOWS:-20}
    echo "aot: training boot (${w} warm-up windows per workload, 1 round), run dir ${run#"$REPO_DIR"/} (started $(date -u +%H:%M:%SZ))" >> "$OUT/machine.txt"
    LAB_GRPC_AOT=train LAB_WARM_MIN=$w LAB_WARM_MAX=$w SMCVM_TIMEOUT=${SMCVM_TIMEOUT:-7200} \
        "$REPO_DIR/deploy/lab/run-in-vm.sh" -a "$LAB_ACCEL" --timeout "${SMCVM_TIMEOUT:-7200}" --rundir "$run" \
        "$BENCH_DIR/grpc/guest.sh" 1 "$BYTES" "$DURATION" "$MESSAGE" "$LAB_GRPC_VARIANTS" "$LAB_GRPC_WORKLOADS" 0 \
        2>&1 | tr -d '\r' > "$OUT/aot-train-console.log"
    local v r
    for v in $LAB_GRPC_VARIANTS; do for r in server client; do
        [ -s "$run/aot/grpc-$v-$r.aot" ] || die "the training boot wrote no AOT cache for $v $r (see $OUT/aot-train-console.log)"
        echo "aot: $v $r $(stat -c %s "$run/aot/grpc-$v-$r.aot") bytes" >> "$OUT/machine.txt"
    done; done
    export LAB_GRPC_AOT="$run/aot"
}
if [ "${SUMMARY_ONLY:-0}" != 1 ]; then
    build_native
    build_jvm
    [ "$AOT" = 1 ] && aot_train
    lab_runs "$BENCH_DIR/grpc/guest.sh" "$ROUNDS" "$BYTES" "$DURATION" "$MESSAGE" "$LAB_GRPC_VARIANTS" "$LAB_GRPC_WORKLOADS" "$DIAG"
fi
{
    grep -h -m1 -E '^(run=1 )?(ICOUNT|EMULATED)' "$OUT/machine.txt" | sed 's/^run=1 //'
    grep -h '^MODES' "$OUT"/guest-console*.log | sed 's/^/    /'
    echo
    "$PY" "$BENCH_DIR/lib/icount_report.py" "$RAW" --subject smc --anchor tcp \
        --metrics MBps,mean_us,p50_us,p99_us,server_instr_per_trip,client_instr_per_trip,server_instr_per_MiB,client_instr_per_MiB,server_slices_per_trip,guest_ctxt_per_trip \
        --goals smc-vs-tcp --goal-impl grpc --anchor-raw "$ANCHOR_RAW" \
        --title "gRPC: smc-grpc on SMC-D (loopback-ISM) vs stock grpc-netty on TCP loopback in the lab guest; param = implementation-workload"
} | tee "$OUT/summary.md"
grep -q . "$RAW" || die "the guest produced no measurements (see $OUT/guest-console*.log)"
