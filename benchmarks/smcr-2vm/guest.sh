# Runs in both guests of deploy/lab/run-2vm.sh (see run.sh): args ROLE ROUNDS BYTES DURATION JVM.
# rxe0 (Soft-RoCE) on eth0 of each guest, 10.98.0.1 (server) / 10.98.0.2 (client), UEID on both.
# The server guest runs ctl.py, which starts one subject at a time on the client's request; the
# client runs netbench against it over TCP (AF_INET) and over SMC-R (AF_SMC) and reads, around every
# window, the non-idle time of both guests: under icount that is instructions, and the figures are
# instructions per round trip (or per MiB streamed) of both guests together. Guest time itself is
# not a figure here: the guests wait on each other in real time (LAB_ICOUNT_SLEEP=on).
ROLE=${1:?server or client}; shift
if [ -f "${SMCVM_RUNDIR:-/nonexistent}/args" ]; then mapfile -t ARGS < "$SMCVM_RUNDIR/args"; ARGS=("${ARGS[@]:1}"); else ARGS=("$@"); fi
ROUNDS=${ARGS[0]:-3}; BYTES=${ARGS[1]:-67108864}; DURATION=${ARGS[2]:-10}; JVM=${ARGS[3]:-1}
. "$(dirname "${BASH_SOURCE[0]}")/../lib/guest-common.sh"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SERVER=10.98.0.1 CTL=19999
for m in virtio_net rdma_rxe; do modprobe "$m" || { echo "GUEST: modprobe $m failed"; exit 1; }; done
case "$ROLE" in server) ME=$SERVER;; client) ME=10.98.0.2;; *) echo "role must be server or client"; exit 2;; esac
for _ in $(seq 50); do [ -e /sys/class/net/eth0 ] && break; sleep 0.1; done
ip addr add "$ME/24" dev eth0 && ip link set eth0 up || { echo "GUEST: eth0 setup failed"; exit 1; }
rdma link add rxe0 type rxe netdev eth0 || { echo "GUEST: rdma link add rxe0 failed"; exit 1; }
echo "GUEST: role=$ROLE eth0=$ME rounds=$ROUNDS bytes=$BYTES duration=$DURATION jvm=$JVM"

if [ "$ROLE" = server ]; then
    exec python3 "$HERE/ctl.py" $SERVER $CTL "$WORK" "$NETBENCH"
fi

# ---- client ----
for _ in $(seq 1200); do exec 3<>"/dev/tcp/$SERVER/$CTL" 2>/dev/null && break; sleep 0.5; done
ctl() { echo "$*" >&3; read -r REPLY <&3; echo "$REPLY"; }
ctl stat > /dev/null || { echo "GUEST: no control connection to the server guest"; exit 1; }
flag() { [ "$1" = smc ] && echo --smc; }

# calibrate: the server guest's busy time between two stat requests with nothing in between (the
# control service's own cost inside every window), median of 5; subtracted from each window
calibrate() {
    local i a b
    for i in 1 2 3 4 5; do
        a=$(ctl stat); b=$(ctl stat)
        echo $(( $(metric_of "$b" busy_ns) - $(metric_of "$a" busy_ns) ))
    done | sort -n | sed -n 3p
}

# measure2 CMD...: the load generator's line (NETBENCH_BUSY: the client guest's busy time inside its
# window) plus the server guest's busy time around it (minus CAL), per operation: instructions of
# both guests per round trip or per MiB streamed
measure2() {
    local s0 s1 out
    s0=$(ctl stat)
    out=$(NETBENCH_BUSY=1 "$@")
    s1=$(ctl stat)
    awk -v line="$out" -v s0="$s0" -v s1="$s1" -v cal="$CAL" 'function kv(str, key,   n, x, i, p) {
            n = split(str, x, " "); for (i = 1; i <= n; i++) { split(x[i], p, "="); if (p[1] == key) return p[2] } return "" }
        BEGIN { sb = kv(s1, "busy_ns") - kv(s0, "busy_ns") - cal; sj = kv(s1, "subject_ns") - kv(s0, "subject_ns"); cb = kv(line, "busy_ns")
            ops = kv(line, "trips"); unit = "trip"
            if (ops == "") { ops = kv(line, "bytes") / 1048576; unit = "MiB" }
            printf "%s server_busy_ns=%.0f server_subject_ns=%.0f ctl_ns=%.0f", line, sb, sj, cal
            if (ops > 0) printf " instr_per_%s=%.0f server_instr_per_%s=%.0f client_instr_per_%s=%.0f subject_instr_per_%s=%.0f",
                unit, (cb + sb) / ops, unit, sb / ops, unit, cb / ops, unit, sj / ops }'
}

# warm2 LABEL METRIC CMD...: windows until METRIC is steady (two in a row within 1%), at most WARM_MAX
warm2() {
    local label=$1 metric=$2; shift 2
    local prev= n=0 line v
    while [ "$n" -lt "${WARM_MAX:-40}" ]; do
        n=$((n + 1)); line=$(measure2 "$@"); echo "WARM $label window=$n $line"
        v=$(metric_of "$line" "$metric")
        if [ -n "$prev" ] && [ "$n" -ge 3 ] && awk -v a="$prev" -v b="$v" 'BEGIN { exit !(a > 0 && b > 0 && b / a - 1 < 0.01 && a / b - 1 < 0.01) }'; then
            echo "WARM $label steady after $n windows ($metric $prev -> $v)"; return 0
        fi
        prev=$v
    done
    echo "WARM $label NOT steady after $n windows ($metric last $v): measured anyway"
}

ECHO=19401 SINK=19402
IMPLS=c; [ "$JVM" = 1 ] && IMPLS="c vertx"
for impl in $IMPLS; do
    for mode in tcp smc; do
        f=$(flag $mode)
        if [ "$impl" = c ]; then   # an idle C server sleeps in epoll_wait: no timers, no cost
            r=$(ctl start "c-sink-$mode" "$NETBENCH" serve-sink $SERVER:$SINK $f)
            case "$r" in ok*) r=$(ctl start "c-echo-$mode" "$NETBENCH" serve-echo $SERVER:$ECHO $f);; esac
        else
            [ "$mode" = smc ] && variant=smc || variant=stock
            # shellcheck disable=SC2046
            r=$(ctl start "vertx-$mode" $(BENCH_JVM_OPTS="-Dbench.host=$SERVER" jvm_cmd) node $variant $ECHO $SINK)
        fi
        echo "GUEST: start $impl-$mode: $r"
        case "$r" in ok*) ;; *) ctl stop > /dev/null; continue;; esac
        CAL=$(calibrate); echo "GUEST: control service cost per window on the server guest: $CAL ns"
        warm2 "$impl-$mode-stream" instr_per_MiB "$NETBENCH" stream $SERVER $SINK $((BYTES / 4)) 65536 $f
        for rd in $(seq 1 "$ROUNDS"); do
            raw bench=smcr-2vm param=$impl-stream variant=$mode round=$rd $(measure2 "$NETBENCH" stream $SERVER $SINK "$BYTES" 65536 $f)
        done
        warm2 "$impl-$mode-rr64" instr_per_trip "$NETBENCH" rr $SERVER $ECHO 64 "$DURATION" 1 $f
        for rd in $(seq 1 "$ROUNDS"); do
            raw bench=smcr-2vm param=$impl-rr64 variant=$mode round=$rd $(measure2 "$NETBENCH" rr $SERVER $ECHO 64 "$DURATION" 1 $f)
        done
        # both kernels' word on one open connection (smc_diag: smcr=1 on each side for SMC-R)
        "$NETBENCH" hold $SERVER $ECHO 1 $f > "$WORK/hold.log" 2>&1 & HOLD=$!
        wait_ready "$WORK/hold.log" $HOLD
        echo "MODES impl=$impl mode=$mode client: $("$NETBENCH" modes) server: $(ctl modes)"
        kill $HOLD; wait $HOLD 2>/dev/null
        ctl stop > /dev/null
    done
done
ctl bye > /dev/null
exit 0
