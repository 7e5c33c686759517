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
echo "GUEST: kernel=$(uname -r) cpus=$(nproc) accel=${ACCEL}"
if [ "$ACCEL" != kvm ]; then
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
