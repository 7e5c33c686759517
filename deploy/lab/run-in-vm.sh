#!/usr/bin/env bash
# Boots a lab guest (a Debian kernel built by setup.sh), runs SCRIPT in it as root with bash,
# streams the guest console and exits with SCRIPT's exit code.
#
#   run-in-vm.sh [--arch amd64|s390x] [-t lo|stock|nosmc] [-a auto|kvm|tcg|icount] [--timeout S] [-m MB] [-c CPUS]
#                [--net listen:PORT:MAC|connect:PORT:MAC|udp:PORT:PEERPORT:MAC] [--net2 udp:PORT:PEERPORT:MAC]
#                [--nic2 MODEL] [--rundir DIR]
#                SCRIPT [ARGS...]
#
#   --arch s390x  the IBM Z guest (setup-s390x.sh): Debian trixie's s390x kernel under qemu-system-s390x
#                 (TCG, -cpu max,vx=off; LAB_S390X_CPU overrides), its own s390x userland as / (the host root is amd64)
#   -t lo     smc.ko rebuilt with CONFIG_SMC_LO=y: SMC-D over loopback-ISM inside the guest (default)
#   -t stock  Debian's own smc.ko: SMC-R (Soft-RoCE) between guests
#   -t nosmc  (amd64) Debian's newest stock kernel, built without SMC (setup-nosmc.sh)
#   -a auto   KVM only when /dev/kvm is backed by kvm_intel/kvm_amd, else TCG (software emulation)
#   -a icount TCG with -icount shift=0,sleep=off and one vCPU: the guest clock counts instructions
#             (1 ns each, idle skipped), so guest-measured times are an instruction-count model,
#             independent of host load (benchmarks/README.md); LAB_ICOUNT_SLEEP=on lets idle time
#             pass in real time instead (guests that wait on each other over --net need it)
#   --net     one virtio NIC (eth0) joined to another guest over a qemu socket on 127.0.0.1:PORT;
#             udp: frames go as UDP datagrams from 127.0.0.1:PORT to 127.0.0.1:PEERPORT, so the link
#             survives either guest being booted again (a TCP socket link dies with its listener)
#   --net2    a second virtio NIC (eth1) joined the same way (udp: only): a second, independent link
#             between two guests (run-2vm.sh --links 2)
#   --nic2    one more NIC of that qemu model (e1000e, ...) with no link: a driver with pause settings
#   --rundir  the writable run dir (default: deploy/lab/runs/<time>-<pid>); it must be a fresh or
#             empty directory; results the guest writes there stay on the host
#
# In the guest: / is the host's / (amd64) or the s390x rootfs, read-only; /tmp /run /root /var/tmp
# /dev/shm are the guest's own tmpfs; /boot and /lib/modules are the booted kernel's (as on a Debian
# system running it); the repository is mounted read-only at its host path (also when that path is
# under /tmp) and the run dir read-write at its host path. SCRIPT sees LAB_RUNDIR, LAB_REPO,
# LAB_TREE, LAB_ACCEL, LAB_ARCH and every LAB_* variable of the caller's environment; cwd is the repository.
#
# Exit code: SCRIPT's, or 124 when the guest was killed at the timeout ("TIMEOUT after N s"),
# 125 when the guest ended without reporting an exit code (crash, panic), 2 for usage errors.
# A guest whose kernel dies before the script starts is booted again (at most 3 boots in all).
set -uo pipefail
LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$LAB/../.." && pwd -P)
ARCH=amd64 TREE=lo ACCEL=${LAB_ACCEL:-auto} TIMEOUT=${LAB_TIMEOUT:-900} MEM=4096 CPUS=$(nproc) NET= NET2= NIC2= RUNDIR=
usage() { sed -n '2,37p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) ARCH=$2; shift 2;;
    -t) TREE=$2; shift 2;;
    -a) ACCEL=$2; shift 2;;
    -m) MEM=$2; shift 2;;
    -c) CPUS=$2; shift 2;;
    --timeout) TIMEOUT=$2; shift 2;;
    --net) NET=$2; shift 2;;
    --net2) NET2=$2; shift 2;;
    --nic2) NIC2=$2; shift 2;;
    --rundir) RUNDIR=$2; shift 2;;
    -h|--help) usage;;
    --) shift; break;;
    -*) echo "run-in-vm: unknown option $1" >&2; usage;;
    *) break;;
  esac
done
[ $# -ge 1 ] || usage
SCRIPT=$(readlink -f "$1"); shift
[ -f "$SCRIPT" ] || { echo "run-in-vm: no such script: $1" >&2; exit 2; }
case "$ARCH:$TREE" in
  amd64:lo|amd64:stock) ENVF=$LAB/cache/current.env;;
  amd64:nosmc) ENVF=$LAB/cache/nosmc/current.env;;
  s390x:lo|s390x:stock) ENVF=$LAB/cache/s390x/current.env;;
  *) echo "run-in-vm: --arch amd64 takes -t lo, stock or nosmc; --arch s390x takes -t lo or stock (not '$ARCH' / '$TREE')" >&2; exit 2;;
esac
[[ "$TIMEOUT" =~ ^[0-9]+$ ]] || { echo "run-in-vm: --timeout must be whole seconds, not '$TIMEOUT'" >&2; exit 2; }
[ -f "$ENVF" ] || { echo "run-in-vm: no $ARCH/$TREE lab built yet ($ENVF): run $LAB/setup.sh first" >&2; exit 2; }
LAB_KBOOT= LAB_ROOTFS=
. "$ENVF"
MODDIR_VAR=LAB_TREE_$TREE; MODDIR=${!MODDIR_VAR}
for f in "$LAB_KERNEL" "$LAB_INITRD" "$MODDIR/lib/modules/$LAB_KVER/modules.dep" ${LAB_ROOTFS:+"$LAB_ROOTFS/.complete"}; do
  [ -e "$f" ] || { echo "run-in-vm: $f is missing: run $LAB/setup.sh" >&2; exit 2; }
done

if [ "$ARCH" = s390x ]; then
  # no KVM for another architecture; QEMU's s390x TCG boots Debian's kernel with -cpu max, but without
  # the vector facility: with it, the checksums the s390x kernel computes come out wrong under
  # bookworm's QEMU 7.2 TCG (6.12's csum_partial has a vector variant, used when the CPU has vx):
  # amd64 <-> s390x over --net, every TCP and ICMP packet the s390x guest received counted in
  # InCsumErrors (/proc/net/snmp), as did the TCP the amd64 side received from it, and no connection
  # came up; with vx=off, ping and HTTP work both ways with no checksum errors. Loopback traffic
  # carries no checksum, so the single-guest leg passed either way.
  [ "$ACCEL" = auto ] || [ "$ACCEL" = tcg ] || { echo "run-in-vm: --arch s390x runs under TCG only" >&2; exit 2; }
  ACCEL=tcg
  QEMU=(qemu-system-s390x -machine s390-ccw-virtio -accel tcg -cpu "${LAB_S390X_CPU:-max,vx=off}")
  CONSOLE=ttysclp0 P9=virtio-9p-ccw NETDEV=virtio-net-ccw ROOT=$LAB_ROOTFS TIMERCHK=
else
  if [ "$ACCEL" = auto ]; then
    # a /dev/kvm of another kind (kvm_pvm here) cannot run a stock kernel
    if [ -w /dev/kvm ] && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then ACCEL=kvm; else ACCEL=tcg; fi
  fi
  case "$ACCEL" in kvm) QEMU=(qemu-system-x86_64 -machine q35 -accel kvm -cpu host);;
    tcg) QEMU=(qemu-system-x86_64 -machine q35 -accel tcg -cpu max);;
    icount) QEMU=(qemu-system-x86_64 -machine q35 -accel tcg -cpu max -icount "shift=0,sleep=${LAB_ICOUNT_SLEEP:-off}"); CPUS=1;;   # icount needs one vCPU
    *) echo "run-in-vm: -a must be auto, kvm, tcg or icount" >&2; exit 2;; esac
  CONSOLE=ttyS0 P9=virtio-9p-pci NETDEV=virtio-net-pci ROOT=/ TIMERCHK=no_timer_check
fi

NIC=(-nic none)
if [ -n "$NET" ]; then
  IFS=: read -r nmode nport nmac <<< "$NET"
  case "$nmode" in
    listen|connect) NSPEC="socket,id=n0,$nmode=127.0.0.1:$nport";;
    udp) npeer=${nmac%%:*}; nmac=${nmac#*:}; NSPEC="socket,id=n0,udp=127.0.0.1:$npeer,localaddr=127.0.0.1:$nport";;
    *) echo "run-in-vm: --net listen:PORT:MAC, connect:PORT:MAC or udp:PORT:PEERPORT:MAC" >&2; exit 2;;
  esac
  NIC=(-netdev "$NSPEC" -device "$NETDEV,netdev=n0,mac=$nmac")
  [ "$ARCH" = s390x ] || NIC[3]+=",romfile="
fi
# a second link of its own (its own UDP port pair): SMC-R link groups get a second link only over a
# second RDMA device, and Soft-RoCE makes one per netdev
if [ -n "$NET2" ]; then
  [ -n "$NET" ] || { echo "run-in-vm: --net2 needs --net" >&2; exit 2; }
  IFS=: read -r nmode nport nmac <<< "$NET2"
  [ "$nmode" = udp ] || { echo "run-in-vm: --net2 udp:PORT:PEERPORT:MAC" >&2; exit 2; }
  npeer=${nmac%%:*}; nmac=${nmac#*:}
  NIC+=(-netdev "socket,id=n1,udp=127.0.0.1:$npeer,localaddr=127.0.0.1:$nport" -device "$NETDEV,netdev=n1,mac=$nmac")
  [ "$ARCH" = s390x ] || NIC[7]+=",romfile="
fi

# a second NIC with no link at all (no netdev behind it): a real driver's settings to read and change,
# e.g. e1000e, whose pause frames doctor ITs switch off and on (virtio_net has no pause settings)
if [ -n "$NIC2" ]; then
  [ "$ARCH" = amd64 ] || { echo "run-in-vm: --nic2 is for the amd64 guest (PCI NIC models)" >&2; exit 2; }
  case "$NIC2" in e1000e|e1000|igb|rtl8139) ;; *) echo "run-in-vm: --nic2 must be e1000e, e1000, igb or rtl8139" >&2; exit 2;; esac
  NIC+=(-device "$NIC2,mac=52:54:00:00:77:01,romfile=")
fi

if [ -z "$RUNDIR" ]; then
  mkdir -p "$LAB/runs"
  RUNDIR=$(mktemp -d "$LAB/runs/$(date +%Y%m%d-%H%M%S)-XXXX")
  # keep the newest 20 runs
  ls -1dt "$LAB/runs"/*/ 2>/dev/null | tail -n +21 | xargs -r rm -rf
fi
mkdir -p "$RUNDIR"; RUNDIR=$(cd "$RUNDIR" && pwd -P)
for p in "$REPO" "$RUNDIR" "$SCRIPT" "$MODDIR"; do
  case "$p" in *[[:space:]]*) echo "run-in-vm: paths with blanks are not supported: $p" >&2; exit 2;; esac
done
case "$MODDIR/" in "$REPO"/*) ;; *) echo "run-in-vm: module tree $MODDIR is outside the repository" >&2; exit 2;; esac
# what the guest cannot see: its own tmpfs paths (and, on s390x, all of the host outside the
# repository), unless inside the repository or run dir
hidden() {
  case "$1" in "$REPO"/*|"$RUNDIR"/*) return 1;; esac
  [ "$ARCH" = s390x ] && return 0
  case "$1" in /tmp/*|/run/*|/root/*|/var/tmp/*|/dev/*|/proc/*|/sys/*) return 0;; esac; return 1
}
if hidden "$SCRIPT"; then cp "$SCRIPT" "$RUNDIR/script.sh"; SCRIPT=$RUNDIR/script.sh; fi
if [ "$ARCH" = s390x ]; then
  # the rootfs is shared read-only: the guest cannot make its own mount points for these
  for p in "$REPO" "$RUNDIR"; do
    case "$p/" in "$REPO"/?*|/tmp/*|/run/*|/root/*|/var/tmp/*) ;; *) mkdir -p "$ROOT$p";; esac
  done
fi

if [ $# -gt 0 ]; then printf '%s\0' "$@"; fi > "$RUNDIR/args"
{
  printf 'LAB_ACCEL=%q\nLAB_ARCH=%q\n' "$ACCEL" "$ARCH"
  [ -z "${LAB_GUEST_JAVA:-}" ] || printf 'LAB_JAVA=%q\n' "$LAB_GUEST_JAVA"
  # hand the caller's LAB_* settings to the guest (e.g. LAB_SKIP_SMC=1 to break it on purpose)
  while IFS='=' read -r k _; do
    case "$k" in LAB_RUNDIR|LAB_REPO|LAB_TREE|LAB_MODDIR|LAB_SCRIPT|LAB_GUEST|LAB_ACCEL|LAB_TREE_*|LAB_KERNEL|LAB_INITRD|LAB_KVER|LAB_KPKGVER|LAB_KBOOT|LAB_ROOTFS|LAB_ARCH|LAB_GUEST_JAVA) continue;; esac
    printf '%s=%q\n' "$k" "${!k}"
  done < <(env | grep -E '^LAB_[A-Za-z0-9_]*=' )
} > "$RUNDIR/env"
rm -f "$RUNDIR/rc"

echo "run-in-vm: $ARCH $ACCEL, $CPUS cpu, $MEM MB, tree $TREE ($LAB_KVER), timeout ${TIMEOUT}s, rundir $RUNDIR" >&2
T0=$(date +%s.%N)
# no_timer_check: on a loaded host the emulated guest's IO-APIC timer test at boot can run out of
# time and panic ("IO-APIC + timer doesn't work!", seen twice in a day's two-guest runs at load
# 15-48; the retry below boots it again, but that costs a boot); the timer works, only the test
# fails, so it is skipped, as most VM images do (an x86 parameter: s390x has no IO-APIC).
boot() {
  timeout -k 10 "$TIMEOUT" "${QEMU[@]}" \
    -nodefaults -no-user-config -display none -no-reboot \
    -smp "$CPUS" -m "$MEM" \
    -kernel "$LAB_KERNEL" -initrd "$LAB_INITRD" \
    -append "console=$CONSOLE quiet loglevel=4 panic=-1 $TIMERCHK rdinit=/init lab.rundir=$RUNDIR lab.repo=$REPO lab.script=$SCRIPT lab.tree=$TREE lab.moddir=$MODDIR${LAB_KBOOT:+ lab.kboot=$LAB_KBOOT}" \
    -serial stdio -monitor none "${NIC[@]}" \
    -fsdev local,id=fsroot,path="$ROOT",security_model=none,readonly=on,multidevs=remap \
    -device "$P9,fsdev=fsroot,mount_tag=hostroot" \
    -fsdev local,id=fsrepo,path="$REPO",security_model=none,readonly=on,multidevs=remap \
    -device "$P9,fsdev=fsrepo,mount_tag=repo" \
    -fsdev local,id=fsrun,path="$RUNDIR",security_model=none \
    -device "$P9,fsdev=fsrun,mount_tag=rundir" \
    < /dev/null 2>&1 | sed -u 's/\r$//' | tee "$RUNDIR/console.log"
  QRC=${PIPESTATUS[0]}
}
# A guest kernel can die while it boots under TCG with several vCPUs (seen 2 times in about 30 boots:
# "Oops: int3" from kernel text patching, before any of our code ran). That says nothing about the
# script, so such a boot is retried; a guest that dies after its script started is never retried.
for attempt in 1 2 3; do
  boot
  [ "$QRC" = 124 ] || [ "$QRC" = 137 ] || [ -s "$RUNDIR/rc" ] && break
  grep -q '^lab-init: up at' "$RUNDIR/console.log" && break
  [ "$attempt" = 3 ] && break
  mv "$RUNDIR/console.log" "$RUNDIR/console-failed-boot-$attempt.log"
  echo "run-in-vm: the guest kernel died before the script started (attempt $attempt, see $RUNDIR/console-failed-boot-$attempt.log): booting again" >&2
done
WALL=$(printf '%.1f' "$(echo "$(date +%s.%N) - $T0" | bc)")
if [ "$QRC" = 124 ] || [ "$QRC" = 137 ]; then
  echo "run-in-vm: TIMEOUT after $TIMEOUT s (guest killed; rundir $RUNDIR)" >&2
  echo "TIMEOUT after $TIMEOUT s" > "$RUNDIR/rc.reason"
  exit 124
fi
if [ ! -s "$RUNDIR/rc" ]; then
  echo "run-in-vm: the guest ended without an exit code (qemu rc=$QRC, ${WALL}s; see $RUNDIR/console.log)" >&2
  exit 125
fi
RC=$(cat "$RUNDIR/rc")
echo "run-in-vm: script rc=$RC, wall ${WALL}s, rundir $RUNDIR" >&2
exit "$RC"
