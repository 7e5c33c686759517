# Runs inside the lab guest (see icount.sh): args ROUNDS BYTES DURATION MESSAGE VARIANTS WORKLOADS DIAG.
# One subject at a time (under icount every instruction of every process counts): for each variant
# (stock = stock grpc-netty on TCP at both ends, smc = smc-grpc at both ends on SMC-D) one server JVM
# and one client JVM are started, warmed up until steady (both JVMs' JIT idle), measured (64 B unary
# calls one at a time, then one client-streaming call of BYTES in MESSAGE-byte messages), the
# connection's mode read from smc_diag, and both stopped before the next variant starts.
if [ -f "${SMCVM_RUNDIR:-/nonexistent}/args" ]; then mapfile -t ARGS < "$SMCVM_RUNDIR/args"; else ARGS=("$@"); fi
ROUNDS=${ARGS[0]:-3}; BYTES=${ARGS[1]:-67108864}; DURATION=${ARGS[2]:-1}; MESSAGE=${ARGS[3]:-32768}; VARIANTS=${ARGS[4]:-stock smc}
WORKLOADS=${ARGS[5]:-rr stream}; DIAG=${ARGS[6]:-0}
. "$(dirname "${BASH_SOURCE[0]}")/../lib/guest-common.sh"
echo "GUEST: rounds=$ROUNDS bytes=$BYTES duration=$DURATION message=$MESSAGE variants=$VARIANTS workloads=$WORKLOADS diag=$DIAG aot=${LAB_AOT:-none}"
PORT=19301
# both JVMs alike: the flags of every JVM subject (jvm_cmd), the JVM's safepoint/GC log on the guest's
# tmpfs (never the 9p run dir inside a window: see benchmarks/README, "a trap of the model")
grpc_jvm() { # ROLE VARIANT
    local cp; cp=$(cat "$BENCH_DIR/build/classpath-lab.txt")
    [ -n "${LAB_AOT:-}" ] && cp=$(aot_classpath "$cp")
    echo "$JAVA -Xms256m -Xmx256m --enable-native-access=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED ${BENCH_JVM_OPTS:-}" \
         "$(aot_opts "grpc-$2-$1") -Xlog:safepoint,gc:file=/tmp/grpc-$2-$1-jvm.log:uptime,tags -cp $cp io.smcvertx.bench.GrpcBench $1 $2 $PORT"
}
# client_do COMMAND...: one command to the client JVM (fd 7), its one result line back (fd 8)
client_do() {
    local line
    echo "$*" >&7
    IFS= read -r line <&8 || { echo "error=client_gone"; return 1; }
    echo "$line"
}
# diag LABEL COMMAND...: DIAG=1, after a workload's measured rounds (never inside them: perf costs
# instructions), one more window of COMMAND under perf (the whole guest, per symbol), with both JVMs'
# compiled code named (Compiler.perfmap); the client is driven from perf's child over fds 7 and 8
diag() {
    local label=$1 p; shift
    for p in "$SPID" "$CLIENT_PID"; do "$(dirname "$JAVA")/jcmd" "$p" Compiler.perfmap > /dev/null 2>&1 || true; done
    # shellcheck disable=SC2016
    perf_stream "$label" 0.4 70 bash -c 'echo "$*" >&7; IFS= read -r l <&8; echo "$l"' client-do "$@"
    cp "/tmp/$label-stream-perf.data" "$WORK/" 2>/dev/null
}
for variant in $VARIANTS; do
    [ "$variant" = smc ] && mode=smc || mode=tcp
    # shellcheck disable=SC2046
    start_subject_guest "grpc-$variant-server" $(grpc_jvm server "$variant") || continue
    SPID=$SUBJECT_PID
    rm -f /tmp/grpc-in /tmp/grpc-out && mkfifo /tmp/grpc-in /tmp/grpc-out
    t0=$(cut -d' ' -f1 /proc/uptime)
    # shellcheck disable=SC2046
    $(grpc_jvm client "$variant") < /tmp/grpc-in > /tmp/grpc-out 2> "/tmp/grpc-$variant-client.log" &
    CLIENT_PID=$!
    exec 7> /tmp/grpc-in 8< /tmp/grpc-out
    IFS= read -r ready <&8
    case "$ready" in READY*) ;; *) echo "GUEST: grpc-$variant client did not start: $ready $(tail -3 "/tmp/grpc-$variant-client.log")"; exec 7>&- 8<&-; stop_subject; continue;; esac
    echo "GUEST: grpc-$variant client ready after $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }') guest-s (pid $CLIENT_PID): $ready"
    export CLIENT_PID
    # the kernel's word while the connection is open: established SMC sockets by mode (both ends), and the client's own
    echo "MODES impl=grpc mode=$mode $("$NETBENCH" modes) client_view=$(client_do mode)"
    if [[ " $WORKLOADS " == *" rr "* ]]; then
        warm "grpc-$mode-rr64" "$SPID" trips_per_s client_do rr 64 1
        rounds "bench=grpc param=grpc-rr64 variant=$mode" "$SPID" client_do rr 64 "$DURATION"
        [ "$DIAG" = 1 ] && diag "grpc-$mode-rr64" rr 64 "$DURATION"
    fi
    if [[ " $WORKLOADS " == *" stream "* ]]; then
        warm "grpc-$mode-stream" "$SPID" MBps client_do stream $((BYTES / 4)) "$MESSAGE"
        rounds "bench=grpc param=grpc-stream variant=$mode" "$SPID" client_do stream "$BYTES" "$MESSAGE"
        [ "$DIAG" = 1 ] && diag "grpc-$mode-stream" stream "$BYTES" "$MESSAGE"
    fi
    echo "MODES impl=grpc mode=$mode at-end $("$NETBENCH" modes)"
    echo quit >&7
    exec 7>&- 8<&-
    wait "$CLIENT_PID" 2>/dev/null
    unset CLIENT_PID
    stop_subject
    cp /tmp/grpc-$variant-*.log "$WORK/" 2>/dev/null
done
exit 0
