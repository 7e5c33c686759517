# Shared by every benchmark script: paths, machine record, builds, server lifecycle, raw records.
# Sourced, not run. Benchmarks are not tests: nothing here asserts a timing.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
JDK=${BENCH_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JDK/bin/java"
BUILD="$BENCH_DIR/build"
PY=/usr/bin/python3
ROUNDS=${ROUNDS:-5}
SERVER_PIDS=()

die() { echo "bench: $*" >&2; exit 1; }

# one_of FIELD "ALLOWED..." VALUES... : refuse, on the host and before any boot, a value its guest
# script would only refuse minutes later inside the guest (a training boot would then cache nothing)
one_of() {
    local field=$1 allowed=" $2 " v; shift 2
    for v in "$@"; do case "$allowed" in *" $v "*) ;; *) die "$field: '$v' is not one of:$allowed";; esac; done
}

# bench_init NAME "exact command": results/NAME/{machine.txt,raw.txt}; raw.txt is rewritten per run
bench_init() {
    BENCH_NAME=$1${PROFILE:+-profile}   # profiled runs go to their own directory: JFR skews the timings
    OUT="$BENCH_DIR/results/$BENCH_NAME"
    mkdir -p "$OUT" "$BUILD"
    RAW="$OUT/raw.txt"
    # SUMMARY_ONLY=1: redo the summary of the last run from its raw.txt, measure nothing
    [ "${SUMMARY_ONLY:-0}" = 1 ] && return 0
    : > "$RAW"
    {
        echo "benchmark: $BENCH_NAME"
        echo "command: $2"
        echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "git: $(git -C "$REPO_DIR" describe --always --dirty 2>/dev/null || echo unknown)"
        echo "host: cores=$(nproc) kernel=$(uname -r) model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
        echo "jdk: $("$JAVA" -version 2>&1 | head -1)"
        echo "rounds: $ROUNDS (A B per round, side by side in one run)"
        echo "loadavg-at-start: $(cut -d' ' -f1-3 /proc/loadavg)"
    } > "$OUT/machine.txt"
    trap stop_servers EXIT
}

# lab_bench_init NAME "exact command": bench_init for a lab row: ROUNDS from ROUNDS_LAB (3), the
# guest under the icount model unless LAB_ACCEL says otherwise
lab_bench_init() {
    ROUNDS=${ROUNDS_LAB:-3}
    export LAB_ACCEL=${LAB_ACCEL:-icount}
    # the warm-up knobs change what "steady" means, so a result records them
    # the guest's knobs (warm-up, rounds) as the command saw them; none set is the usual case, and
    # grep's status 1 for it must not end the script under set -e
    local knobs; knobs=$(env | { grep -E '^LAB_(WARM_[A-Z_]+|ROUNDS_MAX)=' || true; } | sort | tr '\n' ' ')
    bench_init "$1" "$2 (LAB_ACCEL=$LAB_ACCEL RUNS=${RUNS:-auto} ROUNDS_LAB=$ROUNDS${knobs:+ ${knobs% }})"
}

# build_baseline_handlers REV: builds the handlers module at REV from a clean export (nothing
# installed) and sets BASE_REV and BASE_JAR, so a subject can run with the handlers of another
# revision in the same run (BASELINE=<rev> of the handler-spi rows)
build_baseline_handlers() {
    BASE_REV=$(git -C "$REPO_DIR" rev-parse --short "$1") || die "unknown BASELINE revision: $1"
    local src="$BUILD/baseline-$BASE_REV"
    if [ ! -f "$src/.built" ]; then
        rm -rf "$src" && mkdir -p "$src"
        git -C "$REPO_DIR" archive "$BASE_REV" | tar -x -C "$src"
        (cd "$src" && JAVA_HOME="$JDK" mvn -B -q -pl handlers -am -DskipTests package) || die "building handlers at $BASE_REV failed"
        touch "$src/.built"
    fi
    # the artifact is smc-handlers since 2026-12 (handlers before): a baseline revision may have either name
    BASE_JAR=$(ls "$src"/handlers/target/*.jar | grep -E '/(smc-)?handlers-[^/]*\.jar$' | grep -v -e tests -e sources -e javadoc | head -1)
    echo "baseline: handlers at $BASE_REV ($BASE_JAR)" >> "$OUT/machine.txt"
}

# baseline_classpath REV: the lab class path with the staged handlers jar swapped for the one of
# REV (build_baseline_handlers); sets BASE_CP_FILE, so a subject runs before/after in the same run
baseline_classpath() {
    build_baseline_handlers "$1"
    BASE_CP_FILE="$BUILD/classpath-lab-base.txt"
    tr ':' '\n' < "$BUILD/classpath-lab.txt" | sed -E "s|^.*/(smc-)?handlers-[0-9][^/]*\.jar$|$BASE_JAR|" | paste -sd: > "$BASE_CP_FILE"
    grep -q "$BASE_JAR" "$BASE_CP_FILE" || die "no handlers jar in the lab class path"
}

# apt packages the script needs (wrk, socat): installed on first use
need_pkg() {
    command -v "$1" >/dev/null && return
    echo "bench: installing $1 (Debian package)" >&2
    { apt-get install -y "$1" || { apt-get update && apt-get install -y "$1"; }; } >/dev/null 2>&1 \
        || die "could not install $1; install it with: apt-get install $1"
}

build_native() {
    mkdir -p "$BUILD"
    if [ ! -x "$BUILD/netbench" ] || [ "$BENCH_DIR/native/netbench.c" -nt "$BUILD/netbench" ]; then
        gcc -O2 -Wall -o "$BUILD/netbench" "$BENCH_DIR/native/netbench.c" || die "gcc failed on native/netbench.c"
    fi
    NETBENCH="$BUILD/netbench"
}

# builds the project modules and benchmarks/jvm in one reactor (benchmarks/pom.xml), installs nothing
build_jvm() {
    [ "${BENCH_SKIP_BUILD:-0}" = 1 ] && [ -f "$BENCH_DIR/jvm/target/classpath.txt" ] || \
        (cd "$REPO_DIR" && JAVA_HOME="$JDK" mvn -B -q -f benchmarks/pom.xml -pl jvm -am -DskipTests package) \
        || die "maven build of benchmarks/jvm failed"
    CP="$BENCH_DIR/jvm/target/classes:$(cat "$BENCH_DIR/jvm/target/classpath.txt")"
    # the lab guest cannot see ~/.m2 (/root is its own tmpfs): stage the jars inside the repository
    mkdir -p "$BUILD/lib"
    local staged=("$BENCH_DIR/jvm/target/classes")
    IFS=: read -ra jars < "$BENCH_DIR/jvm/target/classpath.txt" || true   # no trailing newline
    for j in "${jars[@]}"; do
        cp -u "$j" "$BUILD/lib/"
        staged+=("$BUILD/lib/$(basename "$j")")
    done
    (IFS=:; echo "${staged[*]}") > "$BUILD/classpath-lab.txt"
    JVM_FLAGS=(-Xms512m -Xmx512m --enable-native-access=ALL-UNNAMED)
}

# start_server LABEL CMD... : background process, waits for a READY line on its stdout (log in $OUT)
start_server() {
    local label=$1; shift
    local log="$OUT/$label.log"
    "$@" > "$log" 2>&1 &
    local pid=$!
    SERVER_PIDS+=("$pid")
    eval "PID_$label=$pid"
    for _ in $(seq 1 "${READY_TIMEOUT:-600}"); do
        grep -q '^READY' "$log" && return 0
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; return 1; }
        sleep 0.2
    done
    die "$label did not print READY (log: $log)"
}

start_jvm_server() { # LABEL ARGS... (BenchServer args); PROFILE=1 adds a JFR recording
    local label=$1; shift
    local extra=()
    [ "${PROFILE:-0}" = 1 ] && extra=(-XX:StartFlightRecording=filename="$OUT/$label.jfr",settings=profile)
    start_server "$label" "$JAVA" "${JVM_FLAGS[@]}" "${extra[@]}" -cp "$CP" io.smcvertx.bench.BenchServer "$@"
}

stop_servers() {
    for p in "${SERVER_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${SERVER_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    SERVER_PIDS=()
}

# proc_cpu_ms PID: user+system CPU time of the process so far, from /proc/PID/stat (clock ticks)
proc_cpu_ms() {
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.0f", ($12 + $13) * 1000 / hz }' "/proc/$1/stat"
}

# with_cpu PID OPS_KEY CMD...: runs the load generator CMD and appends the server's CPU time in it
# (server_cpu_ms) and per operation (server_cpu_us_per_op, OPS_KEY names the count in CMD's line)
with_cpu() {
    local pid=$1 key=$2; shift 2
    local c0 out c1
    c0=$(proc_cpu_ms "$pid"); out=$("$@"); c1=$(proc_cpu_ms "$pid")
    echo "$out server_cpu_ms=$((c1 - c0)) $(awk -v line="$out" -v k="$key" -v ms=$((c1 - c0)) 'BEGIN {
        n = split(line, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, "="); if (kv[1] == k) ops = kv[2] }
        if (ops > 0) printf "server_cpu_us_per_op=%.2f", ms * 1000 / ops }')"
}

# record KEY=VALUE... : one raw run
record() { echo "$*" | tee -a "$RAW"; }

# start_subject LABEL BenchServer-ARGS... : like start_jvm_server, but a subject that is not on main
# yet (or fails to start) is reported, the anchor is still measured, and no stand-in is used
SUBJECT_OK=1
SUBJECT_NOTE=
start_subject() {
    local label=$1
    if ! start_jvm_server "$@"; then
        SUBJECT_OK=0
        SUBJECT_NOTE=$(grep -o -m1 'subject not landed: .*' "$OUT/$label.log" || tail -1 "$OUT/$label.log")
        echo "bench: subject $label not measured: $SUBJECT_NOTE" >&2
    fi
}

# subject CMD... : run and record a subject measurement only when the subject started
subject() { [ "$SUBJECT_OK" = 1 ] && "$@" || true; }

summarize() {
    {
        [ "$SUBJECT_OK" = 1 ] || echo "NOT MEASURED (anchor only): $SUBJECT_NOTE"$'\n'
        "$PY" "$BENCH_DIR/lib/summarize.py" "$RAW" "$@"
    } | tee "$OUT/summary.md"
}

# start_port_server LABEL PORT CMD... : for programs with no READY line (socat): wait until PORT listens
start_port_server() {
    local label=$1 port=$2; shift 2
    "$@" > "$OUT/$label.log" 2>&1 &
    SERVER_PIDS+=("$!")
    for _ in $(seq 1 100); do
        ss -ltnH "sport = :$port" 2>/dev/null | grep -q . && return 0
        sleep 0.1
    done
    die "$label is not listening on $port"
}

# lab_run GUEST_SCRIPT ARGS... : boots the project's kernel lab (loopback-ISM) and runs GUEST_SCRIPT
# as root; builds the lab first when it is missing (deploy/lab/setup.sh, cached). LAB_ACCEL
# (auto|kvm|tcg|icount) is passed as -a. Guest lines starting with "RAW " are appended to raw.txt
# (tagged run=$LAB_RUN_INDEX when set), "WARM " lines to warm.txt.
lab_run() {
    local script=$1; shift
    local tag=${LAB_RUN_INDEX:+run=$LAB_RUN_INDEX } suffix=${LAB_RUN_INDEX:+-run$LAB_RUN_INDEX}
    [ -f "$REPO_DIR/deploy/lab/cache/current.env" ] || "$REPO_DIR/deploy/lab/setup.sh" >&2 \
        || die "building the kernel lab failed (deploy/lab/setup.sh)"
    local runner=("$REPO_DIR/deploy/lab/run-in-vm.sh" -a "${LAB_ACCEL:-auto}" --timeout "${SMCVM_TIMEOUT:-2400}" ${LAB_RUNNER_OPTS:-})
    echo "lab${suffix}: ${runner[*]} $script $* (started $(date -u +%H:%M:%SZ), host load $(cut -d' ' -f1-3 /proc/loadavg))" >> "$OUT/machine.txt"
    local console="$OUT/guest-console$suffix.log"
    SMCVM_TIMEOUT=${SMCVM_TIMEOUT:-2400} "${runner[@]}" "$script" "$@" 2>&1 | stdbuf -oL tr -d "\r" | tee "$console" \
        | grep --line-buffered -E '^(RAW|WARM|GUEST|MODES|DIAG|ICOUNT|EMULATED|run-in-vm)' || true
    [ "${LAB_COLLECT_LATER:-0}" = 1 ] || lab_collect "$console" "$tag"
}

# lab_collect CONSOLE TAG: a boot's RAW, WARM, DIAG and machine lines into the result files
lab_collect() {
    local console=$1 tag=$2
    grep '^RAW ' "$console" | sed "s/^RAW /$tag/" >> "$RAW" || true
    grep '^WARM ' "$console" | sed "s/^/$tag/" >> "$OUT/warm.txt" || true
    grep '^DIAG ' "$console" | sed "s/^/$tag/" >> "$OUT/diag.txt" || true
    grep -E '^(GUEST|EMULATED|ICOUNT)' "$console" | sed "s/^/${tag}/" >> "$OUT/machine.txt" || true
    grep -E '^run-in-vm: script rc=' "$console" | sed "s/^/${tag}/" >> "$OUT/machine.txt" || true
}

# aot_train GUEST_SCRIPT ARGS... (a row's AOT=1): a training boot of the row's guest script with
# LAB_AOT=train and AOT_TRAIN_WINDOWS (80: a training that ends steady; 20 left row 9 1.02% apart between
# boots, 80 0.20%) warm-up windows per workload; each JVM subject writes its
# AOT cache at its exit (guest-common.sh aot_opts), and LAB_AOT then names them for every measured
# boot. Its figures are not results (console in aot-train-console.log). Its run dir lies inside the
# repository, which every later guest sees read-only at the same path; a cache is valid only with
# the jars it was made from, so nothing may be rebuilt in between (one command does both).
# AOT_TRAIN_TIMEOUT (default 7200 s) bounds the training boot
aot_train() {
    local run; run="$REPO_DIR/deploy/lab/runs/aot-$BENCH_NAME-$(date -u +%Y%m%dT%H%M%SZ)"
    local w=${AOT_TRAIN_WINDOWS:-80}
    echo "aot: training boot ($w warm-up windows per workload), run dir ${run#"$REPO_DIR"/} (started $(date -u +%H:%M:%SZ))" >> "$OUT/machine.txt"
    # every window of every workload runs to its end here (no early steady exit), so the boot outlasts
    # a measured one: session 12's row 1 (3 variants x 80 windows beside a second guest) hit 2400 s
    local rc=0
    LAB_AOT=train LAB_WARM_MIN=$w LAB_WARM_MAX=$w LAB_RELAY_WARM_MAX=$w \
        "$REPO_DIR/deploy/lab/run-in-vm.sh" -a "${LAB_ACCEL:-auto}" --timeout "${AOT_TRAIN_TIMEOUT:-7200}" ${LAB_RUNNER_OPTS:-} --rundir "$run" "$@" \
        2>&1 | tr -d '\r' > "$OUT/aot-train-console.log" || rc=$?
    [ "$rc" = 0 ] || die "the training boot failed (rc $rc; $(grep -m1 -o 'TIMEOUT after [0-9]* s' "$OUT/aot-train-console.log" || echo 'see the console'): $OUT/aot-train-console.log); AOT_TRAIN_TIMEOUT / AOT_TRAIN_WINDOWS"
    ls "$run"/aot/*.aot > /dev/null 2>&1 || die "the training boot wrote no AOT cache (see $OUT/aot-train-console.log)"
    # a JVM that failed at start still writes a cache at its exit, of nothing worth replaying
    ! grep -m3 'did not start' "$OUT/aot-train-console.log" >&2 \
        || die "a subject of the training boot did not start (see $OUT/aot-train-console.log)"
    local f
    for f in "$run"/aot/*.aot; do echo "aot: $(basename "$f" .aot) $(stat -c %s "$f") bytes" >> "$OUT/machine.txt"; done
    export LAB_AOT="$run/aot"
}

# lab_runs GUEST_SCRIPT ARGS... : RUNS independent boots of the same guest script (default 2 under
# icount, whose figures must repeat between runs, else 1); raw.txt lines carry run=N
lab_runs() {
    : > "$OUT/warm.txt"
    rm -f "$OUT/diag.txt"
    local runs=${RUNS:-1}
    [ "${LAB_ACCEL:-auto}" = icount ] && runs=${RUNS:-2}
    if [ "${RUNS_PARALLEL:-0}" != 1 ]; then
        for i in $(seq 1 "$runs"); do LAB_RUN_INDEX=$i lab_run "$@"; done
        return
    fi
    # RUNS_PARALLEL=1 (icount only: a guest's figures count its own instructions, so a second guest
    # beside it changes its wall time, not its figures): the boots side by side, their consoles
    # collected one after the other once all have ended, so no two write the result files at once
    [ "${LAB_ACCEL:-auto}" = icount ] || die "RUNS_PARALLEL=1 needs LAB_ACCEL=icount"
    # side by side the boots share the host's cores, so each one's wall time grows with their number
    local SMCVM_TIMEOUT=${SMCVM_TIMEOUT:-$((2400 * runs))}
    local pids=()
    for i in $(seq 1 "$runs"); do
        LAB_RUN_INDEX=$i LAB_COLLECT_LATER=1 lab_run "$@" | sed -u "s/^/[run $i] /" &
        pids+=("$!")
    done
    wait "${pids[@]}"
    for i in $(seq 1 "$runs"); do lab_collect "$OUT/guest-console-run$i.log" "run=$i "; done
}
