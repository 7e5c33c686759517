# Sourced inside the lab guest (as root). The project's lab harness has already loaded smc and
# smc_diag, brought lo up and added the UEID; with the reference kit we do it here.
set -uo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NETBENCH="$BENCH_DIR/build/netbench"
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
WORK=${LAB_RUNDIR:-${SMCVM_RUNDIR:-/tmp}}
ACCEL=${LAB_ACCEL:-unknown}
[ -f "${SMCVM_RUNDIR:-/nonexistent}/env" ] && . "$SMCVM_RUNDIR/env"   # the reference kit's ACCEL
modprobe smc 2>/dev/null; modprobe smc_diag 2>/dev/null
ip link set lo up 2>/dev/null
# SMC-Dv2 over loopback-ISM needs a UEID (the project's lab harness adds the same one for its ITs)
LABTOOL=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/deploy/lab/guest/labtool.py
python3 "$LABTOOL" ueid add SMCVERTX-LAB 2>&1 | sed 's/^/GUEST: /' || true
echo "GUEST: kernel=$(uname -r) cpus=$(nproc) accel=${ACCEL} clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)"
if [ "$ACCEL" = icount ]; then
    echo "ICOUNT: instruction-count model: guest time = instructions executed (1 ns each, idle skipped), one vCPU; not time (no cache or memory effects)"
elif [ "$ACCEL" != kvm ]; then
    echo "EMULATED: not a performance figure (guest under $ACCEL software emulation)"
fi

raw() { echo "RAW $*"; }

# wait_ready LOG PID: a server prints READY when it listens
wait_ready() {
    for _ in $(seq 1 1500); do
        grep -q '^READY' "$1" && return 0
        kill -0 "$2" 2>/dev/null || { cat "$1"; return 1; }
        sleep 0.2
    done
    return 1
}

# ---- icount helpers: one subject alive at a time, warm-up until steady, CPU per operation ----

# threads_ns PID: one line per live thread of PID: tid, schedstat run time (ns; under icount =
# instructions), name, timeslices run (schedstat's third field: each wake-up starts one)
threads_ns() {
    # one grep for all files (a fork per thread would cost more than the sample is worth in the guest);
    # a thread that ends meanwhile is just missing
    grep -H '' /proc/"$1"/task/*/schedstat /proc/"$1"/task/*/comm 2>/dev/null | awk '{
        i = index($0, ":"); file = substr($0, 1, i - 1); rest = substr($0, i + 1)
        split(file, p, "/"); tid = p[5]
        if (file ~ /schedstat$/) { split(rest, f, " "); ns[tid] = f[1]; pc[tid] = f[3] } else { gsub(/ /, "_", rest); comm[tid] = rest } }
        END { for (t in ns) print t, ns[t], comm[t], pc[t] }'
}

# cpu_delta "BEFORE" "AFTER": the process's CPU between two threads_ns samples, matched by thread,
# so a thread that ends in between (a JVM stops idle compiler threads) takes only its own time in
# the window with it, not its whole past; split by thread kind from the JVM's thread names: loop
# (Vert.x/Netty event loops), jit (C1/C2 compiler threads), gc (GC and VM thread), other
cpu_delta() {
    awk -v before="$1" -v after="$2" 'BEGIN {
        n = split(before, b, "\n"); for (i = 1; i <= n; i++) { split(b[i], f, " "); if (f[1] != "") { was[f[1]] = f[2]; wpc[f[1]] = f[4] } }
        m = split(after, a, "\n")
        for (i = 1; i <= m; i++) {
            split(a[i], f, " "); if (f[1] == "" || f[2] == "") continue
            d = f[2] - ((f[1] in was) ? was[f[1]] : 0); seen[f[1]] = 1
            slices += f[4] - ((f[1] in wpc) ? wpc[f[1]] : 0)
            g = "other"
            # Vert.x event loops and acceptors; Netty/gRPC groups (grpc-default-worker/boss-ELG, multiThreadIoEventLoopGroup)
            if (f[3] ~ /eventloo|acceptor|^grpc-default-(wo|bo)|^multiThreadIoEv/) g = "loop"; else if (f[3] ~ /Compiler/) g = "jit"
            else if (f[3] ~ /^VM_Thread|GC|G1_/) g = "gc"
            s[g] += d; total += d
        }
        for (t in was) if (!(t in seen)) gone++
        printf "server_ns=%.0f srv_loop_ns=%.0f srv_jit_ns=%.0f srv_gc_ns=%.0f srv_other_ns=%.0f threads_gone=%d srv_slices=%.0f",
            total, s["loop"], s["jit"], s["gc"], s["other"], gone, slices }'
}

# per_op "NETBENCH OUTPUT" SERVER_NS [SLICES CTXT]: server instructions per operation (trip, request, or
# MiB streamed); per trip also the server's timeslices (wake-ups) and the whole guest's context switches
per_op() {
    awk -v line="$1" -v ns="$2" -v sl="${3:-}" -v cx="${4:-}" 'BEGIN { n = split(line, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, "="); v[kv[1]] = kv[2] }
        if (v["trips"] > 0) printf "server_instr_per_trip=%.0f%s", ns / v["trips"], (sl == "" ? "" : \
            sprintf(" server_slices_per_trip=%.3f guest_ctxt_per_trip=%.3f", sl / v["trips"], cx / v["trips"]))
        else if (v["requests"] > 0) printf "server_instr_per_req=%.0f", ns / v["requests"]
        else if (v["bytes"] > 0) printf "server_instr_per_MiB=%.0f", ns / (v["bytes"] / 1048576) }'
}

# run_measured PID CMD...: runs the load generator CMD; prints its line plus the server's CPU in it.
# CLIENT_PID (set when the load generator is a long-lived process of its own, e.g. a JVM client
# driven over a pipe): its CPU in the window too, as cli_* keys and client_instr_per_trip/_MiB
run_measured() {
    local pid=$1; shift
    local t0 out t1 cpu c0 c1 k0= k1= cli=
    c0=$(awk '$1 == "ctxt" { print $2 }' /proc/stat)
    [ -n "${CLIENT_PID:-}" ] && k0=$(threads_ns "$CLIENT_PID")
    t0=$(threads_ns "$pid")
    out=$("$@")
    t1=$(threads_ns "$pid")
    [ -n "${CLIENT_PID:-}" ] && k1=$(threads_ns "$CLIENT_PID")
    c1=$(awk '$1 == "ctxt" { print $2 }' /proc/stat)
    cpu=$(cpu_delta "$t0" "$t1")
    if [ -n "${CLIENT_PID:-}" ]; then
        cli=$(cpu_delta "$k0" "$k1" | sed 's/server_ns=/cli_ns=/; s/srv_/cli_/g; s/threads_gone=/cli_threads_gone=/')
        cli="$cli $(per_op "$out" "$(metric_of "$cli" cli_ns)" | sed 's/server_instr/client_instr/')"
    fi
    echo "$out $cpu guest_ctxt=$((c1 - c0)) $(per_op "$out" "$(metric_of "$cpu" server_ns)" "$(metric_of "$cpu" srv_slices)" $((c1 - c0)))${cli:+ $cli}"
}

# perf_stream LABEL PCT LINES CMD...: where a stream's instructions go: a flat profile of the whole
# guest (perf, cpu-clock: under icount a sample every N instructions) while CMD streams, printed as
# DIAG lines per symbol (above PCT percent, at most LINES) and per DSO; files on the guest's tmpfs
perf_stream() {
    local label=$1 pct=$2 lines=$3 d=/tmp; shift 3
    perf record -q -e cpu-clock -F 9999 -a -o "$d/$label-stream-perf.data" -- "$@" \
        > "$d/$label-stream-perf.txt" 2> "$d/$label-stream-perf.err"
    echo "DIAG $label stream-perf $(cat "$d/$label-stream-perf.txt")"
    perf report -i "$d/$label-stream-perf.data" --stdio --no-children --sort comm,dso,sym --percent-limit "$pct" 2>/dev/null \
        | grep -v -e '^#' -e '^$' | head -"$lines" | sed "s/^/DIAG $label stream-perf /"
    perf report -i "$d/$label-stream-perf.data" --stdio --no-children --sort comm,dso 2>/dev/null \
        | grep -v -e '^#' -e '^$' | head -12 | sed "s/^/DIAG $label stream-perf-dso /"
}

# metric_of "LINE" KEY
metric_of() { tr ' ' '\n' <<< "$1" | sed -n "s/^$2=//p" | head -1; }

# warm LABEL PID METRIC CMD...: runs CMD (one short window each) until the subject is steady: the
# last WARM_STEADY (3) windows' METRIC within WARM_TOL (1%) of each other, and the JVM's compiler
# threads idle in the last window (jit under WARM_JIT, 1% of the server's CPU; a C server has no
# JIT), or in each of the last WARM_STEADY windows with WARM_JIT_ALL=1 (a JIT that compiles in bursts
# can be idle in one window and busy in the next round), after at least WARM_MIN (3) and at most
# WARM_MAX (60) windows. The host sets these for the guest as LAB_WARM_MIN etc. (run-in-vm.sh hands
# the guest only LAB_* variables). Each window is printed as a
# WARM line with the server's CPU split (a JIT at work shows as jit_ns): the evidence for what a
# cold JVM costs, kept out of the measured rounds. Two windows alike are not enough: a JVM that
# is still compiling can repeat itself by chance and then speed up again.
warm() {
    local WARM_MIN=${LAB_WARM_MIN:-${WARM_MIN:-3}} WARM_MAX=${LAB_WARM_MAX:-${WARM_MAX:-60}} WARM_JIT_ALL=${LAB_WARM_JIT_ALL:-${WARM_JIT_ALL:-0}}
    local label=$1 pid=$2 metric=$3; shift 3
    local n=0 line v jit srv hist="" jits=""
    while [ "$n" -lt "${WARM_MAX:-60}" ]; do
        n=$((n + 1))
        line=$(run_measured "$pid" "$@")
        echo "WARM $label window=$n $line"
        v=$(metric_of "$line" "$metric"); jit=$(metric_of "$line" srv_jit_ns); srv=$(metric_of "$line" server_ns)
        # a JVM client (CLIENT_PID) must be done compiling too: its JIT and CPU count with the server's
        [ -n "$(metric_of "$line" cli_ns)" ] && { jit=$((jit + $(metric_of "$line" cli_jit_ns))); srv=$((srv + $(metric_of "$line" cli_ns))); }
        hist="$hist $v"; jits="$jits ${jit:-0}/${srv:-0}"
        if [ "$n" -ge "${WARM_MIN:-3}" ] && awk -v h="$hist" -v js="$jits" -v k="${WARM_STEADY:-3}" -v t="${WARM_TOL:-0.01}" \
            -v jt="${WARM_JIT:-0.01}" -v all="${WARM_JIT_ALL:-0}" 'BEGIN {
                n = split(h, x, " "); if (n < k) exit 1
                lo = hi = x[n]; for (i = n - k + 1; i <= n; i++) { if (x[i] <= 0) exit 1; if (x[i] < lo) lo = x[i]; if (x[i] > hi) hi = x[i] }
                if (hi / lo - 1 >= t) exit 1
                split(js, j, " "); first = all == 1 ? n - k + 1 : n
                for (i = first; i <= n; i++) { split(j[i], p, "/"); if (p[2] > 0 && p[1] > jt * p[2]) exit 1 }
                exit 0 }'; then
            echo "WARM $label steady after $n windows ($metric last ${WARM_STEADY:-3}:$(echo "$hist" | awk -v k="${WARM_STEADY:-3}" '{ for (i = NF - k + 1; i <= NF; i++) printf " %s", $i }'); jit $jit of $srv ns)"
            return 0
        fi
    done
    echo "WARM $label NOT steady after $n windows ($metric last $v): measured anyway, see the rounds' spread"
}

# rounds "RAW KEYS" PID CMD...: ROUNDS (the guest script's) measured rounds of CMD, each a RAW line with
# the RAW KEYS and round=N. A round in which the JVMs' compiler threads (the server's, and a JVM
# client's) ran more than ROUND_JIT (1%, the warm-up's own bound) of those JVMs' instructions is
# printed with jit_busy=1 and run again, at most LAB_ROUNDS_MAX (3 x ROUNDS) rounds in all: C2 comes
# back in bursts long after a warm-up (one round of the relay with 43 M instructions of compiling,
# session 7), and a burst moves a whole-guest figure by several percent while the per-message work
# is unchanged. The rule reads only the compiler threads, never the measured figure; icount_report.py
# leaves busy rounds out where a run has quiet ones, and says how many. A C subject has no JIT.
rounds() {
    local keys=$1 pid=$2; shift 2
    local n=0 quiet=0 max=${LAB_ROUNDS_MAX:-$((ROUNDS * 3))} line jit all busy
    while [ "$quiet" -lt "$ROUNDS" ] && [ "$n" -lt "$max" ]; do
        n=$((n + 1))
        line=$(run_measured "$pid" "$@")
        jit=$(( $(metric_of "$line" srv_jit_ns) + 0 )); all=$(( $(metric_of "$line" server_ns) + 0 ))
        [ -n "$(metric_of "$line" cli_ns)" ] && { jit=$((jit + $(metric_of "$line" cli_jit_ns))); all=$((all + $(metric_of "$line" cli_ns))); }
        busy=$(awk -v j="$jit" -v a="$all" -v t="${ROUND_JIT:-0.01}" 'BEGIN { print (a > 0 && j > t * a) ? 1 : 0 }')
        if [ "$busy" = 1 ]; then raw $keys round=$n jit_busy=1 $line; else quiet=$((quiet + 1)); raw $keys round=$n $line; fi
    done
    [ "$quiet" -lt "$ROUNDS" ] && echo "GUEST: $keys: only $quiet JIT-quiet rounds of $n (LAB_ROUNDS_MAX=$max)"
    return 0
}

# start_subject_guest LABEL CMD...: starts a server, waits for READY; sets SUBJECT_PID; prints how
# many guest seconds it took. Its output goes to the guest's tmpfs, never to the 9p run dir: under
# icount (sleep=off) a write that waits for the host idles the guest and its clock jumps to the next
# timer, inside a measured window; stop_subject copies the log out once the subject has ended
start_subject_guest() {
    local label=$1; shift
    local t0; t0=$(cut -d' ' -f1 /proc/uptime)
    SUBJECT_LOG=/tmp/$label.log
    "$@" > "$SUBJECT_LOG" 2>&1 &
    SUBJECT_PID=$!
    if ! wait_ready "$SUBJECT_LOG" "$SUBJECT_PID"; then
        echo "GUEST: $label did not start: $(grep -o -m1 'subject not landed: .*' "$SUBJECT_LOG" || tail -1 "$SUBJECT_LOG")"
        cp "$SUBJECT_LOG" "$WORK/" 2>/dev/null
        return 1
    fi
    echo "GUEST: $label ready after $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }') guest-s (pid $SUBJECT_PID)"
}

# stop_subject: ends the subject and waits, so the next one runs alone
stop_subject() {
    [ -n "${SUBJECT_PID:-}" ] || return 0
    kill "$SUBJECT_PID" 2>/dev/null
    wait "$SUBJECT_PID" 2>/dev/null
    SUBJECT_PID=
    [ -n "${SUBJECT_LOG:-}" ] && cp "$SUBJECT_LOG" "$WORK/" 2>/dev/null
    SUBJECT_LOG=
}

# the JVM subjects: default JIT and GC (ergonomics on one vCPU pick the serial GC), fixed heap;
# jvm_cmd LABEL: with LAB_AOT set, the subject runs with the AOT cache of LABEL (aot_opts)
jvm_cmd() {
    CP=$(cat "$BENCH_DIR/build/classpath-lab.txt")   # staged by build_jvm
    [ -n "${LAB_AOT:-}" ] && [ -n "${1:-}" ] && CP=$(aot_classpath "$CP")
    echo "$JAVA -Xms256m -Xmx256m --enable-native-access=ALL-UNNAMED ${BENCH_JVM_OPTS:-} ${1:+$(aot_opts "$1")} -cp $CP io.smcvertx.bench.BenchServer"
}

# LAB_AOT (a row's AOT=1, common.sh aot_train): C2 settles on code that follows the profile a JVM
# gathered in its own warm-up, and two boots' profiles can differ enough for code 2-3% apart (row 9,
# session 8). With "train", each JVM subject writes a JDK 25 AOT cache at its exit (its classes
# loaded and linked, and its method profiles: JEP 483, 515) into the run dir; with a directory,
# each starts from the cache of its LABEL there, so every boot compiles from the same recorded
# profiles. -XX:AOTMode=on: a cache the JVM cannot use is an error, never a silent cold start.
aot_opts() { # LABEL
    case "${LAB_AOT:-}" in
        "") ;;
        train) mkdir -p "$WORK/aot" && echo "-XX:AOTCacheOutput=$WORK/aot/$1.aot" ;;
        *) echo "-XX:AOTCache=$LAB_AOT/$1.aot -XX:AOTMode=on" ;;
    esac
}
# an AOT cache takes classes from jars only (a non-empty directory on the class path stops it):
# the benchmarks' own classes come from their jar, built by the same package run
aot_classpath() { # CP
    local jar; jar=$(ls "$BENCH_DIR"/jvm/target/smc-vertx-benchmarks-*.jar | grep -v -e sources -e javadoc -e tests | head -1)
    echo "${1/"$BENCH_DIR/jvm/target/classes"/$jar}"
}
