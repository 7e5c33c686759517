# Runs inside the lab guest (see run.sh): args ROUNDS BYTES DURATION JVM.
# One subject process alive at a time (under icount every instruction of every process counts):
# for each implementation (the C pair, our Vert.x node) and each mode (TCP, SMC-D) one server is
# started, warmed up until steady, measured (stream into its sink, then 64 B ping-pong on its
# echo), its connections' modes read from smc_diag, and stopped before the next one starts.
if [ -f "${SMCVM_RUNDIR:-/nonexistent}/args" ]; then mapfile -t ARGS < "$SMCVM_RUNDIR/args"; else ARGS=("$@"); fi
ROUNDS=${ARGS[0]:-3}; BYTES=${ARGS[1]:-auto}; DURATION=${ARGS[2]:-1}; JVM=${ARGS[3]:-1}; IMPLS=${ARGS[4]:-}; DIAG=${ARGS[5]:-0}
[ -n "$IMPLS" ] || { IMPLS="c"; [ "$JVM" = 1 ] && IMPLS="c vertx"; }
. "$(dirname "${BASH_SOURCE[0]}")/../lib/guest-common.sh"
if [ "$BYTES" = auto ]; then
    case "$ACCEL" in kvm) BYTES=1073741824;; *) BYTES=67108864;; esac   # emulated: 64 MiB keeps the guest under its timeout
fi
echo "GUEST: rounds=$ROUNDS bytes=$BYTES duration=$DURATION jvm=$JVM impls=$IMPLS diag=$DIAG"
flag() { [ "$1" = smc ] && echo --smc; }
ECHO_PORT=19203 SINK_PORT=19201
# LAB_SMC_LINK=rxe-veth (row 7b, run.sh LINK=rxe-veth): SMC-R inside this one guest, so that sleep=off and
# its determinism apply, which two guests waiting on each other cannot have. A veth pair v0/v1 with
# one Soft-RoCE device on each end, all in the initial network namespace: rxe's UDP socket and its
# route lookups live there only (drivers/infiniband/sw/rxe/rxe_net.c: recv_sockets, ip_route_output_key
# (&init_net, ...)), so two namespaces cannot be used on this 6.12 kernel. Two local addresses would
# otherwise talk over lo (SMC then finds no RDMA device, or with a PNET ID on lo, rxe drops the
# packets that come back on lo: both tried, 2026-12-05; smcr-lo-probe.sh replays the second); policy rules send locally generated
# traffic to the other end's address out of this end's device, so TCP and RoCE both cross the
# veth. The servers listen on 10.9.0.2, the client speaks from 10.9.0.1: TCP over the same veth for
# the tcp mode. Debian's own smc.ko (-t stock) has no loopback-ISM, so SMC can only be SMC-R.
HOST=127.0.0.1
if [ "${LAB_SMC_LINK:-loopback}" = rxe-veth ]; then
    modprobe rdma_rxe || { echo "GUEST: modprobe rdma_rxe failed"; exit 1; }
    ip link add v0 type veth peer name v1 && ip addr add 10.9.0.1/24 dev v0 && ip addr add 10.9.0.2/24 dev v1 \
        && ip link set v0 up && ip link set v1 up || { echo "GUEST: veth setup failed"; exit 1; }
    for k in all default v0 v1; do sysctl -qw net.ipv4.conf.$k.rp_filter=0 net.ipv4.conf.$k.accept_local=1; done
    ip rule add pref 10 iif lo to 10.9.0.2 lookup 100 && ip rule add pref 11 iif lo to 10.9.0.1 lookup 101 \
        && ip route add 10.9.0.2 dev v0 src 10.9.0.1 table 100 && ip route add 10.9.0.1 dev v1 src 10.9.0.2 table 101 \
        && ip rule add pref 100 lookup local && ip rule del pref 0 || { echo "GUEST: policy routing failed"; exit 1; }
    rdma link add rxe0 type rxe netdev v0 && rdma link add rxe1 type rxe netdev v1 || { echo "GUEST: rdma link add failed"; exit 1; }
    echo "GUEST: link rxe-veth: $(ip route get 10.9.0.2 | head -1); $(rdma link show | tr '\n' ';')"
    HOST=10.9.0.2
    export BENCH_JVM_OPTS="${BENCH_JVM_OPTS:-} -Dbench.host=$HOST"
fi
rxe_pkts() { [ "$HOST" = 127.0.0.1 ] || echo " rxe0_sent,rcvd=$(cat /sys/class/infiniband/rxe0/ports/1/hw_counters/{sent_pkts,rcvd_pkts} | paste -sd,)"; }

# perfmap PID: names a JVM subject's compiled code for perf (a C subject has none)
perfmap() {
    [ -d "/proc/$1" ] && [ "$impl" = vertx ] || return 0
    "$(dirname "$JAVA")/jcmd" "$1" Compiler.perfmap > /dev/null 2>&1 || true
}
# diag LABEL PID FLAG: after a subject's measured rounds (never inside them: strace and perf cost
# instructions), the evidence for what a 64 B trip costs: the server's system calls per trip
# (strace -c -f on all its threads, one window) and a flat profile of the whole guest (perf,
# cpu-clock: under icount a sample every N instructions), JIT frames named by the JVM's perf map.
# The stream's profile is taken earlier, by diag_stream.
diag() {
    local label=$1 pid=$2 f=$3 out trips
    local d=/tmp   # the guest's tmpfs: no host I/O inside the window (see the JVM log below); copied out at the end
    strace -c -f -p "$pid" -o "$d/$label-strace.txt" 2> "$d/$label-strace.err" & local st=$!
    for _ in $(seq 1 100); do grep -q 'attached' "$d/$label-strace.err" 2>/dev/null && break; sleep 0.1; done
    out=$("$NETBENCH" rr $HOST $ECHO_PORT 64 "$DURATION" 1 $f)
    kill -INT "$st"; wait "$st" 2>/dev/null
    trips=$(metric_of "$out" trips)
    echo "DIAG $label strace trips=$trips (under strace: $out)"
    awk -v t="$trips" -v l="$label" 'NF >= 5 && $1 ~ /^[0-9.]+$/ && $NF != "total" && t > 0 {
        printf "DIAG %s syscall %s calls=%d per_trip=%.3f\n", l, $NF, $4, $4 / t; sum += $4 }
        END { if (t > 0) printf "DIAG %s syscall total calls=%d per_trip=%.3f\n", l, sum, sum / t }' "$d/$label-strace.txt"
    perfmap "$pid"
    perf record -q -e cpu-clock -F 9999 -a -o "$d/$label-perf.data" -- "$NETBENCH" rr $HOST $ECHO_PORT 64 "$DURATION" 1 $f > "$d/$label-perf-rr.txt" 2> "$d/$label-perf.err"
    echo "DIAG $label perf $(cat "$d/$label-perf-rr.txt")"
    perf report -i "$d/$label-perf.data" --stdio --no-children --sort comm,dso,sym --percent-limit 0.7 2>/dev/null \
        | grep -v -e '^#' -e '^$' | head -45 | sed "s/^/DIAG $label perf /"
    cp "$d/$label"-strace.txt "$d/$label"-perf.data "$d/$label"-stream-perf.data "$WORK/" 2>/dev/null
}
# diag_stream LABEL PID FLAG: the same profile over one stream of BYTES into the sink, right after
# the stream's rounds (where a subject's instructions per MiB go: the stream row's evidence). Before
# the rr workload, not after: its compilations change the code the stream runs (session 12: a boot
# from AOT caches streamed 292 MB/s in its rounds and 263.7 under perf after the rr workload)
diag_stream() {
    local label=$1 pid=$2 f=$3
    perfmap "$pid"
    perf_stream "$label" 0.5 60 "$NETBENCH" stream $HOST $SINK_PORT "$BYTES" 65536 $f
}
for impl in $IMPLS; do
    for mode in tcp smc; do
        f=$(flag $mode)
        if [ "$impl" = c ]; then
            # two C servers (sink, echo) that sleep in epoll_wait while the other is measured: no timers, no cost
            "$NETBENCH" serve-sink $HOST:$SINK_PORT $f > "$WORK/c-sink-$mode.log" 2>&1 & SINK_PID=$!
            wait_ready "$WORK/c-sink-$mode.log" $SINK_PID || { echo "GUEST: C sink did not start"; exit 1; }
            start_subject_guest "c-echo-$mode" "$NETBENCH" serve-echo $HOST:$ECHO_PORT $f || exit 1
            SPID=$SINK_PID EPID=$SUBJECT_PID
        else
            [ "$mode" = smc ] && variant=smc || variant=stock
            # shellcheck disable=SC2046
            # safepoints and GC pauses: what could stall the event loop between trips. The log goes to
            # the guest's tmpfs, never to the 9p run dir: under icount (sleep=off) a write that waits
            # for the host idles the guest and its clock jumps to the next timer (a GC's safepoint
            # measured 0.1-1 guest-s that way); copied out after the subject stops
            JVM_LOG=/tmp/vertx-$mode-jvm.log
            # shellcheck disable=SC2046
            start_subject_guest "vertx-$mode" $(BENCH_JVM_OPTS="${BENCH_JVM_OPTS:-} -Xlog:safepoint,gc:file=$JVM_LOG:uptime,tags" jvm_cmd "vertx-$mode") \
                node $variant $ECHO_PORT $SINK_PORT || continue
            SPID=$SUBJECT_PID EPID=$SUBJECT_PID
        fi
        warm "$impl-$mode-stream" "$SPID" MBps "$NETBENCH" stream $HOST $SINK_PORT $((BYTES / 4)) 65536 $f
        rounds "bench=smc-vs-tcp param=$impl-stream variant=$mode" "$SPID" "$NETBENCH" stream $HOST $SINK_PORT "$BYTES" 65536 $f
        [ "$DIAG" = 1 ] && diag_stream "$impl-$mode" "$SPID" "$f"
        warm "$impl-$mode-rr64" "$EPID" trips_per_s "$NETBENCH" rr $HOST $ECHO_PORT 64 1 1 $f
        rounds "bench=smc-vs-tcp param=$impl-rr64 variant=$mode" "$EPID" "$NETBENCH" rr $HOST $ECHO_PORT 64 "$DURATION" 1 $f
        echo "MODES impl=$impl mode=$mode $(NETBENCH_MODES=1 "$NETBENCH" rr $HOST $ECHO_PORT 64 0.2 1 $f | grep -o 'smcd=.*')$(rxe_pkts)"
        [ "$DIAG" = 1 ] && diag "$impl-$mode" "$EPID" "$f"
        [ "$impl" = c ] && { kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null; }
        stop_subject
        [ "$impl" = vertx ] && cp "$JVM_LOG" "$WORK/" 2>/dev/null
    done
done
exit 0
