# Runs inside the lab guest (see icount.sh): args ROUNDS DURATION CONNS.
# One HTTP "hello" server alive at a time, each warmed up until steady, then measured with
# netbench's HTTP/1.1 keep-alive client (wrk cannot open AF_SMC sockets):
#   stock    Vert.x on its stock epoll transport, TCP
#   smc-off  SmcTransport with SMC disabled by its policy: its TCP path (the 2% goal)
#   smc      SmcTransport, client on AF_SMC: SMC-D (smc_diag says so in the MODES line)
if [ -f "${SMCVM_RUNDIR:-/nonexistent}/args" ]; then mapfile -t ARGS < "$SMCVM_RUNDIR/args"; else ARGS=("$@"); fi
ROUNDS=${ARGS[0]:-3}; DURATION=${ARGS[1]:-2}; CONNS=${ARGS[2]:-10}
. "$(dirname "${BASH_SOURCE[0]}")/../lib/guest-common.sh"
echo "GUEST: rounds=$ROUNDS duration=$DURATION conns=$CONNS"
PORT=19281
for variant in ${LAB_HTTP_VARIANTS:-stock smc-off smc}; do
    f=; [ "$variant" = smc ] && f=--smc
    # shellcheck disable=SC2046
    start_subject_guest "http-$variant" $(jvm_cmd "http-$variant") http "$variant" $PORT || continue
    for c in $CONNS; do
        warm "http-$variant-c$c" "$SUBJECT_PID" rps "$NETBENCH" http 127.0.0.1 $PORT 1 "$c" $f
        rounds "bench=http param=c$c variant=$variant" "$SUBJECT_PID" "$NETBENCH" http 127.0.0.1 $PORT "$DURATION" "$c" $f
    done
    echo "MODES variant=$variant $(NETBENCH_MODES=1 "$NETBENCH" http 127.0.0.1 $PORT 0.2 1 $f | grep -o 'smcd=.*')"
    stop_subject
done
exit 0
