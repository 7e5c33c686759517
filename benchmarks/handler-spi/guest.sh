# Runs inside the lab guest (see icount.sh): args ROUNDS DURATION SIZES CONNS BASE_CP.
# One echo server alive at a time, each warmed up per message size until steady:
#   pipe      Vert.x NetSocket.pipeTo (the anchor)
#   spi       the echo handler through the Mutiny SPI (ConnectionPipe), this revision
#   spi-base  the same with the handlers jar of BASELINE (when given): before/after in one run
if [ -f "${SMCVM_RUNDIR:-/nonexistent}/args" ]; then mapfile -t ARGS < "$SMCVM_RUNDIR/args"; else ARGS=("$@"); fi
ROUNDS=${ARGS[0]:-3}; DURATION=${ARGS[1]:-2}; SIZES=${ARGS[2]:-64 4096 65536}; CONNS=${ARGS[3]:-4}; BASE_CP=${ARGS[4]:-}
. "$(dirname "${BASH_SOURCE[0]}")/../lib/guest-common.sh"
echo "GUEST: rounds=$ROUNDS duration=$DURATION sizes=$SIZES conns=$CONNS baseline=${BASE_CP:+yes}"
PORT=19271
VARIANTS="pipe spi"; [ -n "$BASE_CP" ] && VARIANTS="pipe spi spi-base"
for variant in $VARIANTS; do
    cmd=$(jvm_cmd)
    kind=$variant
    if [ "$variant" = spi-base ]; then cmd=${cmd/-cp * io.smcvertx/-cp $(cat "$BASE_CP") io.smcvertx}; kind=spi; fi
    # shellcheck disable=SC2086
    start_subject_guest "echo-$variant" $cmd echo $kind $PORT || continue
    for s in $SIZES; do
        warm "$variant-$s" "$SUBJECT_PID" MBps "$NETBENCH" rr 127.0.0.1 $PORT "$s" 1 "$CONNS"
        for r in $(seq 1 "$ROUNDS"); do
            raw bench=echo param=$s variant=$variant round=$r $(run_measured "$SUBJECT_PID" "$NETBENCH" rr 127.0.0.1 $PORT "$s" "$DURATION" "$CONNS")
        done
    done
    stop_subject
done
exit 0
