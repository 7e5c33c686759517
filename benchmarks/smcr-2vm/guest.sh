# Runs in both guests of deploy/lab/run-2vm.sh (see run.sh): args ROLE ROUNDS BYTES DURATION JVM VERBS DISNI.
# rxe0 (Soft-RoCE) on eth0 of each guest, 10.98.0.1 (server) / 10.98.0.2 (client), UEID on both.
# The server guest runs ctl.py, which starts one subject at a time on the client's request; the
# client runs netbench against it over TCP (AF_INET) and over SMC-R (AF_SMC) and reads, around every
# window, the non-idle time of both guests: under icount that is instructions, and the figures are
# instructions per round trip (or per MiB streamed) of both guests together. Guest time itself is
# not a figure here: the guests wait on each other in real time (LAB_ICOUNT_SLEEP=on).
ROLE=${1:?server or client}; shift
if [ -f "${SMCVM_RUNDIR:-/nonexistent}/args" ]; then mapfile -t ARGS < "$SMCVM_RUNDIR/args"; ARGS=("${ARGS[@]:1}"); else ARGS=("$@"); fi
ROUNDS=${ARGS[0]:-3}; BYTES=${ARGS[1]:-67108864}; DURATION=${ARGS[2]:-10}; JVM=${ARGS[3]:-1}; VERBS=${ARGS[4]:-1}; DISNI=${ARGS[5]:-1}
VERBS_TRIPS=${ARGS[6]:-3000}; VERBS_SMALL=${ARGS[7]:-30}
. "$(dirname "${BASH_SOURCE[0]}")/../lib/guest-common.sh"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SERVER=10.98.0.1 CTL=19999
for m in virtio_net rdma_rxe; do modprobe "$m" || { echo "GUEST: modprobe $m failed"; exit 1; }; done
case "$ROLE" in server) ME=$SERVER;; client) ME=10.98.0.2;; *) echo "role must be server or client"; exit 2;; esac
for _ in $(seq 50); do [ -e /sys/class/net/eth0 ] && break; sleep 0.1; done
ip addr add "$ME/24" dev eth0 && ip link set eth0 up || { echo "GUEST: eth0 setup failed"; exit 1; }
rdma link add rxe0 type rxe netdev eth0 || { echo "GUEST: rdma link add rxe0 failed"; exit 1; }
echo "GUEST: role=$ROLE eth0=$ME rounds=$ROUNDS bytes=$BYTES duration=$DURATION jvm=$JVM verbs=$VERBS disni=$DISNI verbs_trips=$VERBS_TRIPS/$VERBS_SMALL"
if [ "$VERBS" = 1 ] || [ "$DISNI" = 1 ]; then
    # the verbs and rdma_cm character devices (/dev/infiniband/uverbs0, rdma_cm) for user-space RDMA
    for m in rdma_ucm ib_uverbs; do modprobe "$m" || { echo "GUEST: modprobe $m failed"; exit 1; }; done
fi
if [ "$DISNI" = 1 ]; then   # the project's libdisni, built by the same script as CI's disni-2vm.sh uses
    "$HERE/../../smc-disni/src/main/native/build-libdisni.sh" "$WORK/libdisni" > "$WORK/libdisni-build.log" 2>&1 \
        || { echo "GUEST: building libdisni failed: $(tail -3 "$WORK/libdisni-build.log")"; exit 1; }
fi

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

# warm2 LABEL METRIC WINDOW...: runs the window command (it prints one measured line) until METRIC is
# steady (the last WARM2_STEADY, default 2, windows within 1% of each other), at least 3, at most WARM_MAX
warm2() {
    local label=$1 metric=$2; shift 2
    local hist="" n=0 line v
    while [ "$n" -lt "${WARM_MAX:-40}" ]; do
        n=$((n + 1)); line=$("$@"); echo "WARM $label window=$n $line"
        v=$(metric_of "$line" "$metric"); hist="$hist ${v:-0}"
        if [ "$n" -ge 3 ] && awk -v h="$hist" -v k="${WARM2_STEADY:-2}" 'BEGIN {
                n = split(h, x, " "); if (n < k) exit 1
                lo = hi = x[n]; for (i = n - k + 1; i <= n; i++) { if (x[i] <= 0) exit 1; if (x[i] < lo) lo = x[i]; if (x[i] > hi) hi = x[i] }
                exit !(hi / lo - 1 < 0.01) }'; then
            echo "WARM $label steady after $n windows ($metric last ${WARM2_STEADY:-2}:$(echo "$hist" | awk -v k="${WARM2_STEADY:-2}" '{ for (i = NF - k + 1; i <= NF; i++) printf " %s", $i }'))"; return 0
        fi
    done
    echo "WARM $label NOT steady after $n windows ($metric last $v): measured anyway"
}

# ---- the raw-RDMA baseline: verbs send/receive ping-pongs, 64 B, on the same link (rxe0) ----
# Each as instructions of both guests per round trip, like the socket pairs below; one subject alive at a time.
RC_PORT=18515 PP_PORT=7470
rxe_counts() { cat /sys/class/infiniband/rxe0/ports/1/hw_counters/{sent_pkts,rcvd_pkts} | tr '\n' ' '; }
# the cost of one `netbench busy` sample on this guest (exit of one, fork and exec of the next), median of 5
busy_cal() {
    local i a b
    for i in 1 2 3 4 5; do
        a=$("$NETBENCH" busy); b=$("$NETBENCH" busy)
        echo $(( $(metric_of "$b" busy_ns) - $(metric_of "$a" busy_ns) ))
    done | sort -n | sed -n 3p
}
# per_trip LINE TRIPS C0 C1 S0 S1: both guests' busy time in a window, minus the samplers' own cost
per_trip() {
    awk -v line="$1" -v trips="$2" -v c0="$3" -v c1="$4" -v s0="$5" -v s1="$6" -v cal="$CAL" -v ccal="$CCAL" 'function kv(str, key,   n, x, i, p) {
            n = split(str, x, " "); for (i = 1; i <= n; i++) { split(x[i], p, "="); if (p[1] == key) return p[2] } return "" }
        BEGIN { cb = kv(c1, "busy_ns") - kv(c0, "busy_ns") - ccal; sb = kv(s1, "busy_ns") - kv(s0, "busy_ns") - cal
            sj = kv(s1, "subject_ns") - kv(s0, "subject_ns")
            printf "%s trips=%d client_busy_ns=%.0f server_busy_ns=%.0f server_subject_ns=%.0f ctl_ns=%.0f busy_cal_ns=%.0f", line, trips, cb, sb, sj, cal, ccal
            if (trips > 0) printf " instr_per_trip=%.0f server_instr_per_trip=%.0f client_instr_per_trip=%.0f subject_instr_per_trip=%.0f",
                (cb + sb) / trips, sb / trips, cb / trips, sj / trips }'
}

# rdma-core's ibv_rc_pingpong: one process pair per window (its server serves one client and exits), so
# a window holds both processes' start, RC connection setup and teardown; the figure per trip is the
# difference between a window of VERBS_TRIPS and one of VERBS_SMALL trips (run back to back), which
# leaves out whatever a window costs once. The one-off cost is reported as setup_instr: about 40 M
# instructions (mostly the client's start: exec, device open, QP), varying by 1-2 M between windows, so
# the long window must hold thousands of trips (300 gave rounds 8% apart; 3000 is the default).
rc_window() {   # rc_window TRIPS: one ibv_rc_pingpong pair of TRIPS round trips, measured
    local n=$1 r s0 s1 c0 c1 out
    r=$(ctl startm address: c-verbs "$HERE/rc-pingpong.sh" $SERVER -p $RC_PORT -s 64 -n "$n" -e -c)
    case "$r" in ok*) ;; *) echo "failed=start:$r"; return;; esac
    r=$(ctl listening $RC_PORT); case "$r" in ok*) ;; *) echo "failed=listen:$r"; ctl stop > /dev/null; return;; esac
    s0=$(ctl stat); c0=$("$NETBENCH" busy)
    out=$("$HERE/rc-pingpong.sh" 10.98.0.2 -p $RC_PORT -s 64 -n "$n" -e -c $SERVER 2>&1)
    r=$(ctl wait)
    c1=$("$NETBENCH" busy); s1=$(ctl stat)
    ctl stop > /dev/null
    case "$r" in ok*) ;; *) echo "failed=wait:$r"; return;; esac
    grep -q "$n iters in" <<< "$out" || { echo "failed=client:$(tr '\n' ' ' <<< "$out" | tail -c 300)"; return; }
    per_trip "size=64 usec_per_iter=$(sed -n 's/.* = \([0-9.]*\) usec\/iter.*/\1/p' <<< "$out")" "$n" "$c0" "$c1" "$s0" "$s1"
}
rc_pair() {     # one big and one small window; instr_per_trip = the difference per extra trip
    local big small
    big=$(rc_window "$VERBS_TRIPS"); small=$(rc_window "$VERBS_SMALL")
    awk -v b="$big" -v s="$small" -v nb="$VERBS_TRIPS" -v ns="$VERBS_SMALL" 'function kv(str, key,   n, x, i, p) {
            n = split(str, x, " "); for (i = 1; i <= n; i++) { split(x[i], p, "="); if (p[1] == key) return p[2] } return "" }
        BEGIN { if (kv(b, "failed") != "" || kv(s, "failed") != "") { printf "failed=1 big: %s small: %s", b, s; exit }
            cb = kv(b, "client_busy_ns") - kv(s, "client_busy_ns"); sb = kv(b, "server_busy_ns") - kv(s, "server_busy_ns")
            sj = kv(b, "server_subject_ns") - kv(s, "server_subject_ns"); d = nb - ns
            tb = kv(b, "client_busy_ns") + kv(b, "server_busy_ns")
            printf "size=64 trips=%d small_trips=%d usec_per_iter=%s client_busy_ns=%s server_busy_ns=%s small_client_busy_ns=%s small_server_busy_ns=%s", nb, ns, kv(b, "usec_per_iter"), kv(b, "client_busy_ns"), kv(b, "server_busy_ns"), kv(s, "client_busy_ns"), kv(s, "server_busy_ns")
            printf " instr_per_trip=%.0f server_instr_per_trip=%.0f client_instr_per_trip=%.0f subject_instr_per_trip=%.0f setup_instr=%.0f window_instr_per_trip=%.0f",
                (cb + sb) / d, sb / d, cb / d, sj / d, tb - nb * (cb + sb) / d, tb / nb }'
}

# smc-disni's PingPong over DiSNI verbs: one JVM pair, one RC connection for all windows; the client
# runs a leg only when told (--gate stdin) and the counters are read around each leg. Its pipes and its
# log are in the guest's own tmpfs: the run dir is a 9p share (no FIFOs there, and a write to it is a
# virtio exchange that would count in the window); the log is copied to the run dir at the end.
PPDIR=/tmp/disni-pingpong
pp_until() {    # pp_until PATTERN: reads the client's output up to the line with PATTERN (printed), else fails
    local l
    while IFS= read -r -t 3600 l <&6; do
        echo "$l" >> "$PPDIR/client.log"
        case "$l" in *"$1"*) echo "$l"; return 0;; esac
    done
    return 1
}
pp_window() {
    local s0 s1 c0 c1 leg
    pp_until "pingpong: gate" > /dev/null || { echo "failed=the DiSNI client ended (see disni-client.log in the run dir)"; return; }
    s0=$(ctl stat); c0=$("$NETBENCH" busy)
    echo go >&5
    leg=$(pp_until "pingpong transport=VERBS") || { echo "failed=no leg line (see disni-client.log in the run dir)"; return; }
    c1=$("$NETBENCH" busy); s1=$(ctl stat)
    leg=${leg#*pingpong transport=VERBS }   # its round= becomes leg_round= (the raw line has its own round=)
    per_trip "size=64 leg_$(tr ' ' '\n' <<< "$leg" | grep -v '^trips=' | tr '\n' ' ')" \
        "$(metric_of "$leg" trips)" "$c0" "$c1" "$s0" "$s1"
}

if [ "$VERBS" = 1 ] || [ "$DISNI" = 1 ]; then CAL=$(calibrate); CCAL=$(busy_cal)
    echo "GUEST: sampler cost per window: server (control service) $CAL ns, client (netbench busy) $CCAL ns"; fi
if [ "$VERBS" = 1 ]; then
    x0=$(rxe_counts)
    WARM_MAX=${VERBS_WARM_MAX:-15} warm2 c-verbs-rr64 instr_per_trip rc_window "$VERBS_TRIPS"
    for rd in $(seq 1 "$ROUNDS"); do
        line=$(rc_pair)
        case "$line" in failed=*) echo "GUEST: c-verbs round $rd FAILED: $line";; *) raw bench=smcr-2vm param=verbs-rr64 variant=c round=$rd $line;; esac
    done
    echo "MODES impl=c mode=verbs client: rxe0 sent_pkts,rcvd_pkts before $x0 after $(rxe_counts)(ibv_rc_pingpong -d rxe0, RC, SEND/RECV)"
fi
if [ "$DISNI" = 1 ]; then
    x0=$(rxe_counts)
    r=$(ctl startm ready disni-verbs "$HERE/disni-pingpong.sh" server --address $SERVER --port $PP_PORT --transports verbs --completion event --timeout 3600)
    echo "GUEST: start disni-verbs: $r"
    case "$r" in
    ok*)
        rm -rf "$PPDIR"; mkdir -p "$PPDIR"; mkfifo "$PPDIR/in" "$PPDIR/out"
        "$HERE/disni-pingpong.sh" client --address $SERVER --port $PP_PORT --transports verbs --completion event --size 64 \
            --warmup 0 --rounds 1000 --seconds "$DURATION" --gate stdin --timeout 3600 < "$PPDIR/in" > "$PPDIR/out" 2>&1 &
        PP=$!
        exec 5> "$PPDIR/in" 6< "$PPDIR/out"
        CAL=$(calibrate); echo "GUEST: control service cost per window with the DiSNI server alive: $CAL ns"
        WARM2_STEADY=3 warm2 disni-verbs-rr64 instr_per_trip pp_window
        for rd in $(seq 1 "$ROUNDS"); do
            line=$(pp_window)
            case "$line" in failed=*) echo "GUEST: disni-verbs round $rd FAILED: $line";; *) raw bench=smcr-2vm param=verbs-rr64 variant=disni round=$rd $line;; esac
        done
        pp_until "pingpong: gate" > /dev/null; echo stop >&5
        while IFS= read -r -t 600 l <&6; do echo "$l" >> "$PPDIR/client.log"; done
        exec 5>&- 6<&-
        wait $PP; rc=$?; cp "$PPDIR/client.log" "$WORK/disni-client.log"
        echo "GUEST: DiSNI client rc=$rc ($(grep -c 'pingpong transport=VERBS' "$WORK/disni-client.log") legs), server: $(ctl wait)"
        echo "MODES impl=disni mode=verbs client: rxe0 sent_pkts,rcvd_pkts before $x0 after $(rxe_counts)(DiSNI, rdma_cm, RC, SEND/RECV)";;
    esac
    ctl stop > /dev/null
fi

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
        warm2 "$impl-$mode-stream" instr_per_MiB measure2 "$NETBENCH" stream $SERVER $SINK $((BYTES / 4)) 65536 $f
        for rd in $(seq 1 "$ROUNDS"); do
            raw bench=smcr-2vm param=$impl-stream variant=$mode round=$rd $(measure2 "$NETBENCH" stream $SERVER $SINK "$BYTES" 65536 $f)
        done
        warm2 "$impl-$mode-rr64" instr_per_trip measure2 "$NETBENCH" rr $SERVER $ECHO 64 "$DURATION" 1 $f
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
