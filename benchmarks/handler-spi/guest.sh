# Runs inside the lab guest (see icount.sh): args ROUNDS DURATION SIZES CONNS BASE_CP DIAG_SIZES.
# One echo server alive at a time, each warmed up per message size until steady:
#   pipe      Vert.x NetSocket.pipeTo (the anchor)
#   spi       the echo handler through the Mutiny SPI (ConnectionPipe), this revision
#   spi-base  the same with the handlers jar of BASELINE (when given): before/after in one run
if [ -f "${SMCVM_RUNDIR:-/nonexistent}/args" ]; then mapfile -t ARGS < "$SMCVM_RUNDIR/args"; else ARGS=("$@"); fi
ROUNDS=${ARGS[0]:-3}; DURATION=${ARGS[1]:-2}; SIZES=${ARGS[2]:-64 4096 65536}; CONNS=${ARGS[3]:-4}; BASE_CP=${ARGS[4]:-}
DIAG_SIZES=${ARGS[5]:-}
. "$(dirname "${BASH_SOURCE[0]}")/../lib/guest-common.sh"
echo "GUEST: rounds=$ROUNDS duration=$DURATION sizes=$SIZES conns=$CONNS baseline=${BASE_CP:+yes} diag=${DIAG_SIZES:-none}"

# diag LABEL PID SIZE: after a subject's measured rounds at SIZE (never inside them: perf costs
# instructions), a flat profile of the whole guest over one window (perf, cpu-clock: under icount a
# sample every N instructions), JIT frames named by the JVM's perf map; files on the guest's tmpfs
# (no 9p I/O while perf records), copied out afterwards
diag() {
    local label=$1 pid=$2 size=$3 d=/tmp
    "$(dirname "$JAVA")/jcmd" "$pid" Compiler.perfmap > /dev/null 2>&1 || true
    perf record -q -e cpu-clock -F 9999 -a -o "$d/$label-perf.data" -- "$NETBENCH" rr 127.0.0.1 $PORT "$size" "$DURATION" "$CONNS" \
        > "$d/$label-perf-rr.txt" 2> "$d/$label-perf.err"
    echo "DIAG $label perf $(cat "$d/$label-perf-rr.txt")"
    perf report -i "$d/$label-perf.data" --stdio --no-children --sort comm,dso,sym --percent-limit 0.5 2>/dev/null \
        | grep -v -e '^#' -e '^$' | head -60 | sed "s/^/DIAG $label perf /"
    perf report -i "$d/$label-perf.data" --stdio --no-children --sort comm,dso --percent-limit 0.5 2>/dev/null \
        | grep -v -e '^#' -e '^$' | head -20 | sed "s/^/DIAG $label dso /"
    cp "$d/$label"-perf.data "$WORK/" 2>/dev/null
}
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
        rounds "bench=echo param=$s variant=$variant" "$SUBJECT_PID" "$NETBENCH" rr 127.0.0.1 $PORT "$s" "$DURATION" "$CONNS"
        case " $DIAG_SIZES " in *" $s "*) diag "$variant-$s" "$SUBJECT_PID" "$s";; esac
    done
    stop_subject
done
exit 0
