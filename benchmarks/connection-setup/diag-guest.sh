# Runs inside the lab guest (see diag-lab.sh).
. "$(dirname "${BASH_SOURCE[0]}")/../lib/guest-common.sh"
ulimit -n 65536
"$NETBENCH" serve-echo 19301 --smc > "$WORK/echo.log" 2>&1 &
ECHO=$!
wait_ready "$WORK/echo.log" $ECHO || { echo "GUEST: echo server failed"; exit 1; }
CP=$(cat "$BENCH_DIR/build/classpath-lab.txt")   # staged by build_jvm
"$JAVA" -Xmx512m --enable-native-access=ALL-UNNAMED -Dbench.netbench="$NETBENCH" -Dbench.echoPort=19301 \
    -cp "$CP" org.openjdk.jmh.Main DiagLookupBench -f 0 -wi 2 -w 2s -i 5 -r 2s -foe true \
    -rf csv -rff "$WORK/jmh.csv" > "$WORK/jmh.log" 2>&1
grep -E '^(open=|Benchmark|DiagLookupBench)' "$WORK/jmh.log"
[ -f "$WORK/jmh.csv" ] || { echo "GUEST: JMH failed:"; grep -v '^WARNING' "$WORK/jmh.log" | tail -25; }
# csv: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: open"
tail -n +2 "$WORK/jmh.csv" | tr -d '"' | awk -F, '{ sub(/.*\./, "", $1); printf "RAW jmh %s %s %.1f %.1f\n", $1, $8, $5, $6 }'
kill $ECHO
exit 0
