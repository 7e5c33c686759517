#!/usr/bin/env bash
# 2 (lab). Handler SPI echo vs NetSocket.pipeTo in the kernel lab guest under the icount model
#    (instructions, independent of host load; no cache or memory effects, so copies count as the
#    instructions that move the bytes): the same subjects and C client as handler-spi/run.sh, on
#    TCP loopback, one server alive at a time. BASELINE=<rev> adds the echo subject with the
#    handlers jar of that revision (spi-base), so a change is measured before/after in one run.
#    usage: benchmarks/handler-spi/icount.sh   (env: RUNS=2 ROUNDS_LAB=3 DURATION=1 SIZES="64 4096 65536" CONNS=4 BASELINE=)
. "$(dirname "$0")/../lib/common.sh"
ROUNDS=${ROUNDS_LAB:-3}
export LAB_ACCEL=${LAB_ACCEL:-icount}
bench_init handler-spi-icount "benchmarks/handler-spi/icount.sh (LAB_ACCEL=$LAB_ACCEL RUNS=${RUNS:-auto} ROUNDS_LAB=$ROUNDS DURATION=${DURATION:=1} SIZES=\"${SIZES:=64 4096 65536}\" CONNS=${CONNS:=4}${BASELINE:+ BASELINE=$BASELINE})"
if [ "${SUMMARY_ONLY:-0}" != 1 ]; then
    build_native
    build_jvm
    BASE_CP_FILE=
    if [ -n "${BASELINE:-}" ]; then
        base_rev=$(git -C "$REPO_DIR" rev-parse --short "$BASELINE") || die "unknown BASELINE revision: $BASELINE"
        base_src="$BUILD/baseline-$base_rev"
        if [ ! -f "$base_src/.built" ]; then
            rm -rf "$base_src" && mkdir -p "$base_src"
            git -C "$REPO_DIR" archive "$base_rev" | tar -x -C "$base_src"
            (cd "$base_src" && JAVA_HOME="$JDK" mvn -B -q -o -pl handlers -am -DskipTests package) || die "building handlers at $base_rev failed"
            touch "$base_src/.built"
        fi
        base_jar=$(ls "$base_src"/handlers/target/handlers-*.jar | grep -v -e tests -e sources | head -1)
        # the guest's class path with the staged handlers jar swapped for the baseline's
        BASE_CP_FILE="$BUILD/classpath-lab-base.txt"
        tr ':' '\n' < "$BUILD/classpath-lab.txt" | sed "s|^.*/handlers-[^/]*\.jar$|$base_jar|" | paste -sd: > "$BASE_CP_FILE"
        grep -q "$base_jar" "$BASE_CP_FILE" || die "no handlers jar in the lab class path"
        echo "baseline: handlers at $base_rev ($base_jar)" >> "$OUT/machine.txt"
    fi
    lab_runs "$BENCH_DIR/handler-spi/guest.sh" "$ROUNDS" "$DURATION" "$SIZES" "$CONNS" "$BASE_CP_FILE"
fi
M=MBps,mean_us,p99_us,server_instr_per_trip
{
    grep -h -m1 -E '^(run=1 )?(ICOUNT|EMULATED)' "$OUT/machine.txt" | sed 's/^run=1 //'
    echo
    "$PY" "$BENCH_DIR/lib/icount_report.py" "$RAW" --subject spi --anchor pipe --metrics $M \
        --title "Echo: Mutiny handler SPI vs NetSocket.pipeTo, $CONNS connections, message size = param (bytes); goal >= 0.9 (MBps)"
    if grep -q 'variant=spi-base' "$RAW"; then
        echo
        "$PY" "$BENCH_DIR/lib/icount_report.py" "$RAW" --subject spi --anchor spi-base --metrics $M \
            --title "This revision (spi) vs the handlers of the baseline (spi-base), same runs"
    fi
} | tee "$OUT/summary.md"
grep -q . "$RAW" || die "the guest produced no measurements (see $OUT/guest-console*.log)"
