#!/usr/bin/env bash
# 6. SMC vs TCP on a real kernel: inside the kernel lab guest (Debian 6.12, loopback-ISM),
#    the same streaming (one-way stream into a sink, time until acknowledged) and
#    request/response (64 B ping-pong) workloads over SMC-D and over TCP loopback:
#      - anchor: the C pair (native/netbench.c) on AF_SMC vs AF_INET sockets;
#      - subject: our Vert.x data path (BenchServer node-sink/node-echo) on SmcTransport vs the
#        stock epoll transport, driven by the same C client (AF_SMC vs AF_INET).
#    smc_diag is read during each SMC run to prove the connections were SMC-D, not a fallback.
#    Under TCG (these machines) the figures are EMULATED and say so; with LAB_ACCEL=kvm the same
#    command measures for real, where the published anchor is loopback-ISM ~+67% throughput and
#    ~-44% latency vs TCP loopback.
#    usage: benchmarks/smc-vs-tcp/run.sh   (env: LAB_ACCEL=auto|kvm|tcg ROUNDS=3 BYTES=auto DURATION=5 JVM=1)
. "$(dirname "$0")/../lib/common.sh"
ROUNDS=${ROUNDS_LAB:-3}   # the guest is slow: fewer rounds than on the host
bench_init smc-vs-tcp "benchmarks/smc-vs-tcp/run.sh (LAB_ACCEL=${LAB_ACCEL:-auto} ROUNDS=$ROUNDS BYTES=${BYTES:=auto} DURATION=${DURATION:=5} JVM=${JVM:=1})"
build_native
[ "$JVM" = 1 ] && build_jvm
lab_run "$BENCH_DIR/smc-vs-tcp/guest.sh" "$ROUNDS" "$BYTES" "$DURATION" "$JVM"
{
    grep -h '^EMULATED' "$OUT/machine.txt" | head -1
    grep -h '^MODES' "$OUT/guest-console.log" | sed 's/^/    /'
    echo
    "$PY" "$BENCH_DIR/lib/summarize.py" "$RAW" --subject smc --anchor tcp --metrics MBps,p50_us,p99_us \
        --title "SMC-D (loopback-ISM) vs TCP loopback in the lab guest; param = implementation/workload"
} | tee "$OUT/summary.md"
grep -q . "$RAW" || die "the guest produced no measurements (see $OUT/guest-console.log)"
