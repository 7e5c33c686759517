#!/usr/bin/env bash
# 2. Handler SPI: TCP echo through the Mutiny ProtocolHandler SPI (the `echo` handler, with
#    backpressure) vs a hand-written Vert.x NetSocket pipe echo (socket.pipeTo(socket)), both on
#    the stock epoll transport, both driven by the same C client (native/netbench.c rr):
#    CONNS connections, one message in flight each, echo verified by length.
#    usage: benchmarks/handler-spi/run.sh   (env: ROUNDS=5 DURATION=5 SIZES="64 4096 65536" CONNS=4)
. "$(dirname "$0")/../lib/common.sh"
bench_init handler-spi "benchmarks/handler-spi/run.sh (ROUNDS=$ROUNDS DURATION=${DURATION:=5} SIZES=\"${SIZES:=64 4096 65536}\" CONNS=${CONNS:=4})"
build_native
build_jvm
start_jvm_server pipe echo pipe 18091 || die "pipe echo failed"
start_subject spi echo spi 18092
for s in $SIZES; do   # warm both JITs
    "$NETBENCH" rr 127.0.0.1 18091 "$s" 3 "$CONNS" >/dev/null; subject "$NETBENCH" rr 127.0.0.1 18092 "$s" 3 "$CONNS" >/dev/null
done
for r in $(seq 1 "$ROUNDS"); do
    for s in $SIZES; do
        record bench=echo param=$s variant=pipe round=$r $("$NETBENCH" rr 127.0.0.1 18091 "$s" "$DURATION" "$CONNS")
        subject record bench=echo param=$s variant=spi round=$r $(subject "$NETBENCH" rr 127.0.0.1 18092 "$s" "$DURATION" "$CONNS")
    done
done
summarize --subject spi --anchor pipe --metrics MBps,p99_us --title "Echo: Mutiny handler SPI vs NetSocket.pipeTo, $CONNS connections, message size = param (bytes)"
