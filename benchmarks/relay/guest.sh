# Runs inside the lab guest (see icount.sh): args ROUNDS BYTES DURATION BASE_CP DIAG.
# A TCP client (netbench) through a relay to a C target (sink for the stream, echo for 64 B
# ping-pong), one relay process alive at a time (its two listeners: to the sink and to the echo),
# each warmed up until steady:
#   relay-smc        our relay handler on SmcTransport: plain TCP listeners (listener rules), SMC-D upstream
#   relay            our relay handler on the stock transport: TCP to TCP
#   relay-smc-base   relay-smc with the handlers jar of BASELINE (BASE_CP): before/after in one run
#   relay-base       relay with the handlers jar of BASELINE
#   haproxy          HAProxy 2.6, mode tcp, TCP to TCP
#   haproxy-splice   the same with option splice-auto (HAProxy's heuristics; it did not splice here)
#   haproxy-spliced  the same with splice-request + splice-response: splice(2) both ways, forced
# DIAG=1: after each variant's measured rounds (never inside them: perf costs instructions), a
# per-symbol perf profile of the whole guest over one stream of BYTES (diag.txt)
if [ -f "${SMCVM_RUNDIR:-/nonexistent}/args" ]; then mapfile -t ARGS < "$SMCVM_RUNDIR/args"; else ARGS=("$@"); fi
ROUNDS=${ARGS[0]:-3}; BYTES=${ARGS[1]:-67108864}; DURATION=${ARGS[2]:-1}; BASE_CP=${ARGS[3]:-}; DIAG=${ARGS[4]:-0}
. "$(dirname "${BASH_SOURCE[0]}")/../lib/guest-common.sh"
. "$(dirname "${BASH_SOURCE[0]}")/haproxy.sh"
echo "GUEST: rounds=$ROUNDS bytes=$BYTES duration=$DURATION baseline=${BASE_CP:+yes} diag=$DIAG $(haproxy -v | head -1)"
RS=19291 RE=19292 SINK=19293 ECHO=19294   # relay ports (to sink, to echo), target ports

# diag LABEL PID: where the subject's instructions per MiB go: a flat profile of the whole guest
# (perf, cpu-clock: under icount a sample every N instructions) over one stream of BYTES through
# the relay, JIT frames named by the JVM's perf map; files on the guest's tmpfs, copied out after
diag() {
    local label=$1 pid=$2 d=/tmp
    case "$label" in relay*) "$(dirname "$JAVA")/jcmd" "$pid" Compiler.perfmap > /dev/null 2>&1 || true;; esac
    perf_stream "$label" 0.4 70 "$NETBENCH" stream 127.0.0.1 $RS "$BYTES" 65536
    cp "$d/$label-stream-perf.data" "$WORK/" 2>/dev/null
}

for variant in ${LAB_RELAY_VARIANTS:-haproxy haproxy-splice haproxy-spliced relay relay-smc}; do
    case "$variant" in *-base) [ -n "$BASE_CP" ] || { echo "GUEST: $variant needs BASELINE"; continue; };; esac
    tf=; case "$variant" in relay-smc*) tf=--smc;; esac   # the targets speak SMC only for the SMC upstream
    # every file a process alive in the measured windows writes goes to the guest's tmpfs (T), never
    # to the 9p run dir (a write that waits for the host stalls the icount clock); copied out after
    T=/tmp
    "$NETBENCH" serve-sink $SINK $tf > "$T/sink-$variant.log" 2>&1 & SINK_PID=$!
    "$NETBENCH" serve-echo $ECHO $tf > "$T/echo-$variant.log" 2>&1 & ECHO_PID=$!
    wait_ready "$T/sink-$variant.log" $SINK_PID && wait_ready "$T/echo-$variant.log" $ECHO_PID || { echo "GUEST: targets did not start"; exit 1; }
    case "$variant" in
        haproxy*)
            case "$variant" in haproxy-splice) sp=1;; haproxy-spliced) sp=2;; *) sp=0;; esac
            haproxy_cfg "$T/$variant.cfg" $sp $RS $SINK $RE $ECHO || exit 1
            SUBJECT_LOG=$T/$variant.log
            haproxy -db -f "$T/$variant.cfg" > "$SUBJECT_LOG" 2>&1 & SUBJECT_PID=$!
            for _ in $(seq 100); do ss -ltnH "sport = :$RE" | grep -q . && break; sleep 0.1; done ;;
        *)
            cmd=$(jvm_cmd "$variant")
            # a *-base variant: the same BenchServer with the baseline's handlers jar swapped in
            case "$variant" in *-base) cmd=${cmd/-cp * io.smcvertx/-cp $(cat "$BASE_CP") io.smcvertx};; esac
            # shellcheck disable=SC2086
            start_subject_guest "$variant" $cmd relay "${variant%-base}" $RS 127.0.0.1:$SINK $RE 127.0.0.1:$ECHO || continue ;;
    esac
    # the stream's warm-up ends only with the JIT idle: a JVM relay kept compiling past 60 windows
    # of BYTES/4 (session 6), so the stream gets more windows (LAB_RELAY_WARM_MAX, default 150)
    WARM_MAX=${LAB_RELAY_WARM_MAX:-150} warm "$variant-stream" "$SUBJECT_PID" MBps "$NETBENCH" stream 127.0.0.1 $RS $((BYTES / 4)) 65536
    rounds "bench=relay param=stream variant=$variant" "$SUBJECT_PID" "$NETBENCH" stream 127.0.0.1 $RS "$BYTES" 65536
    if [ "${LAB_RELAY_STREAM_ONLY:-0}" != 1 ]; then   # LAB_RELAY_STREAM_ONLY=1: the stream row alone, for time
        warm "$variant-rr64" "$SUBJECT_PID" trips_per_s "$NETBENCH" rr 127.0.0.1 $RE 64 1 1
        rounds "bench=relay param=rr64 variant=$variant" "$SUBJECT_PID" "$NETBENCH" rr 127.0.0.1 $RE 64 "$DURATION" 1
    fi
    echo "MODES variant=$variant $(NETBENCH_MODES=1 "$NETBENCH" rr 127.0.0.1 $RE 64 0.2 1 | grep -o 'smcd=.*')"
    [ "$DIAG" = 1 ] && diag "$variant" "$SUBJECT_PID"
    stop_subject
    kill $SINK_PID $ECHO_PID; wait $SINK_PID $ECHO_PID 2>/dev/null
    cp "$T/sink-$variant.log" "$T/echo-$variant.log" "$WORK/" 2>/dev/null
    case "$variant" in haproxy*) cp "$T/$variant.cfg" "$WORK/" 2>/dev/null;; esac
done
exit 0
