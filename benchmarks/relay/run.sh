#!/usr/bin/env bash
# 3. Relay: the `relay` handler vs socat, both relaying TCP to TCP on 127.0.0.1 to the same
#    C target (native/netbench.c): a 1 GiB one-way stream into a sink (time until the sink has
#    every byte and acknowledged), and request/response latency (64 B ping-pong) to an echo.
#    socat runs as users run it: TCP-LISTEN with fork, plus nodelay on both legs (Vert.x sets
#    TCP_NODELAY by default, so the latency comparison is like for like).
#    usage: benchmarks/relay/run.sh   (env: ROUNDS=5 BYTES=1073741824 DURATION=5)
. "$(dirname "$0")/../lib/common.sh"
bench_init relay "benchmarks/relay/run.sh (ROUNDS=$ROUNDS BYTES=${BYTES:=1073741824} DURATION=${DURATION:=5})"
need_pkg socat
build_native
build_jvm
echo "socat: $(socat -V 2>/dev/null | grep -m1 'socat version')" >> "$OUT/machine.txt"
start_server sink "$NETBENCH" serve-sink 18101
start_server echo "$NETBENCH" serve-echo 18102
start_port_server socat_stream 18104 socat TCP-LISTEN:18104,bind=127.0.0.1,reuseaddr,fork,nodelay TCP:127.0.0.1:18101,nodelay
start_port_server socat_rr 18106 socat TCP-LISTEN:18106,bind=127.0.0.1,reuseaddr,fork,nodelay TCP:127.0.0.1:18102,nodelay
start_subject relay_stream relay relay 18103 127.0.0.1:18101
subject start_jvm_server relay_rr relay relay 18105 127.0.0.1:18102
# warm-up: the JIT of the relay, and socat's first fork
subject "$NETBENCH" stream 127.0.0.1 18103 268435456 65536 >/dev/null; "$NETBENCH" stream 127.0.0.1 18104 268435456 65536 >/dev/null
subject "$NETBENCH" rr 127.0.0.1 18105 64 3 1 >/dev/null; "$NETBENCH" rr 127.0.0.1 18106 64 3 1 >/dev/null
for r in $(seq 1 "$ROUNDS"); do
    record bench=relay param=stream-1GiB variant=socat round=$r $("$NETBENCH" stream 127.0.0.1 18104 "$BYTES" 65536)
    subject record bench=relay param=stream-1GiB variant=relay round=$r $(subject "$NETBENCH" stream 127.0.0.1 18103 "$BYTES" 65536)
    record bench=relay param=rr-64B variant=socat round=$r $("$NETBENCH" rr 127.0.0.1 18106 64 "$DURATION" 1)
    subject record bench=relay param=rr-64B variant=relay round=$r $(subject "$NETBENCH" rr 127.0.0.1 18105 64 "$DURATION" 1)
done
summarize --subject relay --anchor socat --metrics MBps,trips_per_s,p50_us,p99_us --title "Relay handler vs socat, TCP to TCP on loopback"
