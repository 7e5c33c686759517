#!/usr/bin/env bash
# 3. Relay (host): the `relay` handler vs HAProxy 2.6 (Debian's, installed by this script), both
#    relaying TCP to TCP on 127.0.0.1 to the same C target (native/netbench.c): a 1 GiB one-way
#    stream into a sink (time until the sink has every byte and acknowledged), and
#    request/response latency (64 B ping-pong) to an echo. HAProxy runs as operators run it for
#    TCP proxying (relay/haproxy.sh: mode tcp, one thread like our one event loop), without and
#    with `option splice-auto`, and with splicing forced (haproxy.sh says why). A second plain HAProxy ("haproxy2") in the same rounds gives the
#    A/A noise floor. Goals: relay >= 1.0x the better HAProxy's throughput, p50 <= 1.05x.
#    Host-timed: run it on a quiet machine (load < 1; the load at start is in machine.txt).
#    The lab version (TCP client -> relay -> SMC-D upstream, icount) is relay/icount.sh.
#    usage: benchmarks/relay/run.sh   (env: ROUNDS=5 BYTES=1073741824 DURATION=5)
. "$(dirname "$0")/../lib/common.sh"
. "$BENCH_DIR/relay/haproxy.sh"
bench_init relay "benchmarks/relay/run.sh (ROUNDS=$ROUNDS BYTES=${BYTES:=1073741824} DURATION=${DURATION:=5})"
if [ "${SUMMARY_ONLY:-0}" != 1 ]; then
    need_pkg haproxy
    build_native
    build_jvm
    echo "haproxy: $(haproxy -v | head -1)" >> "$OUT/machine.txt"
    start_server sink "$NETBENCH" serve-sink 18101
    start_server echo "$NETBENCH" serve-echo 18102
    # one HAProxy per variant, two listeners each: PORT_<variant>_stream (to the sink), _rr (to the echo)
    VARIANTS="haproxy haproxy-splice haproxy-spliced haproxy2"
    port=18110
    for v in $VARIANTS; do
        case "$v" in haproxy-splice) splice=1;; haproxy-spliced) splice=2;; *) splice=0;; esac
        haproxy_cfg "$OUT/$v.cfg" $splice $port 18101 $((port + 1)) 18102 || die "haproxy configuration"
        start_port_server "${v//-/_}" $((port + 1)) haproxy -db -f "$OUT/$v.cfg"
        eval "PORT_${v//-/_}_stream=$port PORT_${v//-/_}_rr=$((port + 1))"
        port=$((port + 2))
    done
    start_subject relay relay relay 18103 127.0.0.1:18101 18105 127.0.0.1:18102
    # warm-up: the relay's JIT, HAProxy's buffers
    subject "$NETBENCH" stream 127.0.0.1 18103 268435456 65536 >/dev/null
    subject "$NETBENCH" rr 127.0.0.1 18105 64 3 1 >/dev/null
    for v in $VARIANTS; do
        p=PORT_${v//-/_}_stream; "$NETBENCH" stream 127.0.0.1 "${!p}" 268435456 65536 >/dev/null
        p=PORT_${v//-/_}_rr; "$NETBENCH" rr 127.0.0.1 "${!p}" 64 3 1 >/dev/null
    done
    for r in $(seq 1 "$ROUNDS"); do
        subject record bench=relay param=stream-1GiB variant=relay round=$r $(subject "$NETBENCH" stream 127.0.0.1 18103 "$BYTES" 65536)
        for v in $VARIANTS; do
            p=PORT_${v//-/_}_stream
            record bench=relay param=stream-1GiB variant=$v round=$r $("$NETBENCH" stream 127.0.0.1 "${!p}" "$BYTES" 65536)
        done
        subject record bench=relay param=rr-64B variant=relay round=$r $(subject "$NETBENCH" rr 127.0.0.1 18105 64 "$DURATION" 1)
        for v in $VARIANTS; do
            p=PORT_${v//-/_}_rr
            record bench=relay param=rr-64B variant=$v round=$r $("$NETBENCH" rr 127.0.0.1 "${!p}" 64 "$DURATION" 1)
        done
    done
fi
M=MBps,trips_per_s,p50_us,p99_us
summarize --subject relay --anchor haproxy --metrics $M --title "Relay handler vs HAProxy (mode tcp), TCP to TCP on loopback"
{
    echo
    "$PY" "$BENCH_DIR/lib/summarize.py" "$RAW" --subject relay --anchor haproxy-splice --metrics $M \
        --title "Relay handler vs HAProxy with option splice-auto"
    echo
    "$PY" "$BENCH_DIR/lib/summarize.py" "$RAW" --subject relay --anchor haproxy-spliced --metrics $M \
        --title "Relay handler vs HAProxy splicing (splice-request + splice-response)"
    echo
    "$PY" "$BENCH_DIR/lib/summarize.py" "$RAW" --subject haproxy2 --anchor haproxy --metrics $M \
        --title "A/A noise floor of the same run: a second HAProxy vs the first (ideal 1.00)"
} | tee -a "$OUT/summary.md"
