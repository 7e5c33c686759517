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
# caches (lib/common.sh aot_train): the same profiles in every boot. RUNS_PARALLEL=1 boots the RUNS
# measured guests side by side (icount figures do not depend on the host's load).
#    usage: benchmarks/grpc/icount.sh   (env: RUNS=2 ROUNDS_LAB=3 BYTES=67108864 DURATION=1 MESSAGE=32768
#    LAB_GRPC_VARIANTS="stock smc" LAB_GRPC_WORKLOADS="rr stream" DIAG=0 AOT=0 AOT_TRAIN_WINDOWS=80)
. "$(dirname "$0")/../lib/common.sh"
ANCHOR_RAW=${ANCHOR_RAW:-$BENCH_DIR/results/smc-vs-tcp/c-pair-20261205T0037Z/raw.txt}
one_of LAB_GRPC_VARIANTS "stock smc" ${LAB_GRPC_VARIANTS:-}
one_of LAB_GRPC_WORKLOADS "rr stream" ${LAB_GRPC_WORKLOADS:-}
lab_bench_init grpc-icount "benchmarks/grpc/icount.sh BYTES=${BYTES:=67108864} DURATION=${DURATION:=1} MESSAGE=${MESSAGE:=32768} LAB_GRPC_VARIANTS=\"${LAB_GRPC_VARIANTS:=stock smc}\" LAB_GRPC_WORKLOADS=\"${LAB_GRPC_WORKLOADS:=rr stream}\" DIAG=${DIAG:=0} AOT=${AOT:=0}${RUNS_PARALLEL:+ RUNS_PARALLEL=$RUNS_PARALLEL}"
echo "anchor: the C pair's figures from ${ANCHOR_RAW#"$REPO_DIR"/}" >> "$OUT/machine.txt"
if [ "${SUMMARY_ONLY:-0}" != 1 ]; then
    build_native
    build_jvm
    [ "$AOT" = 1 ] && aot_train "$BENCH_DIR/grpc/guest.sh" 1 "$BYTES" "$DURATION" "$MESSAGE" "$LAB_GRPC_VARIANTS" "$LAB_GRPC_WORKLOADS" 0
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
