#!/usr/bin/env bash
# smc-disni's verbs ping-pong (io.smcvertx.disni.pingpong.PingPong) with the project's libdisni, which
# guest.sh built into WORK/libdisni with smc-disni/src/main/native/build-libdisni.sh (as disni-2vm.sh
# does in CI). The JVM runs as the Vert.x subjects do (default JIT and GC, fixed heap); exec, so the
# subject's pid is the JVM's.
#   disni-pingpong.sh server|client PingPong-options...
set -uo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=${LAB_RUNDIR:-${SMCVM_RUNDIR:-/tmp}}
[ -f "$WORK/libdisni/libdisni.so" ] || { echo "disni-pingpong: no $WORK/libdisni/libdisni.so (guest.sh builds it)"; exit 1; }
[ -d "$REPO/smc-disni/target/classes/io" ] || { echo "disni-pingpong: no smc-disni/target/classes (run.sh builds it)"; exit 1; }
CP=$REPO/smc-disni/target/classes:$REPO/smc-transport/target/classes
for j in "$REPO"/smc-disni/target/lab-lib/*.jar; do CP=$CP:$j; done
exec /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -Xms256m -Xmx256m \
    --add-exports java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED "-Djava.library.path=$WORK/libdisni" \
    -cp "$CP" io.smcvertx.disni.pingpong.PingPong "$@"
