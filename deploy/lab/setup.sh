#!/usr/bin/env bash
# Builds the SMC kernel lab under deploy/lab/cache/ (idempotent; rebuilds only what changed):
#   * host packages the lab needs (apt-get; `apt-get update` only when something is missing),
#   * the current Debian 6.12 kernel (version resolved with apt-cache policy, fetched with
#     `apt-get download`, unpacked with dpkg -x: nothing is installed into the host's /boot),
#   * net/smc rebuilt out of tree from linux-source-6.12 with CONFIG_SMC_LO=y (loopback-ISM),
#   * two module trees: "lo" (rebuilt smc.ko/smc_diag.ko: SMC-D inside one guest) and
#     "stock" (Debian's own smc.ko: SMC-R between guests, loopback-ISM would win otherwise),
#   * the guest initramfs (busybox-static + virtio-9p modules + deploy/lab/initramfs/init).
# Result: deploy/lab/cache/current.env, read by run-in-vm.sh.
# Then the other guests: setup-nosmc.sh (sid's newest amd64 kernel, built without SMC) and
# setup-s390x.sh (the IBM Z guest); `setup.sh --amd64-only` skips them. Each builds on its own: one
# failing does not stop the others, and the exit code is non-zero if any failed.
# Env: LAB_KPKGVER=<Debian version of linux-source-6.12> pins a version instead of apt's candidate.
set -euo pipefail
ONLY_AMD64=0
case "${1:-}" in --amd64-only) ONLY_AMD64=1;; "") ;; *) echo "usage: setup.sh [--amd64-only]" >&2; exit 2;; esac
LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=$LAB/cache
mkdir -p "$CACHE"
. "$LAB/lib/kernel.sh"
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

T_ALL=$(date +%s.%N)
T_STEP=0
step() { T_STEP=$(date +%s.%N); echo "setup: == $*"; }
took() { printf 'setup: -- %-22s %6.1f s\n' "$1" "$(echo "$(date +%s.%N) - $T_STEP" | bc)"; }

# ---------------------------------------------------------------- host packages
step "host packages"
PKGS=(qemu-system-x86 busybox-static kmod cpio xz-utils gzip bc make gcc-12 binutils iproute2 python3)
# the two-guest phase builds smc-disni's libdisni with the guest's gcc (the host's root, read-only)
# and runs it over Soft-RoCE: rdma-core headers and link libraries, and the rxe provider
PKGS+=(libibverbs-dev librdmacm-dev ibverbs-providers ibverbs-utils)
# GrpcOverSmcIT: a gRPC client no one here wrote, plain TCP: Debian's grpcio for the host python3
# the guest runs (PyPI is not reachable here; Debian's 1.51 speaks the same HTTP/2 gRPC)
PKGS+=(python3-grpcio)
lab_host_packages setup "${PKGS[@]}"
took "host packages"

# ---------------------------------------------------------------- kernel version
step "resolve kernel version"
candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}'; }
KPKGVER=${LAB_KPKGVER:-$(candidate linux-source-6.12)}
if [ -z "$KPKGVER" ] || [ "$KPKGVER" = "(none)" ]; then
  $SUDO apt-get update -q
  KPKGVER=$(candidate linux-source-6.12)
fi
case "$KPKGVER" in ""|"(none)")
  echo "setup: apt knows no linux-source-6.12 (add bookworm-security to the apt sources)" >&2; exit 1;; esac
# Debian names the 6.12 ABI <upstream>+deb12 (6.12.117-1~deb12u1 -> 6.12.117+deb12); checked below
ABI="${KPKGVER%%-*}+deb12"
KVER="$ABI-amd64"
DEBS=(linux-image-$KVER linux-headers-$KVER linux-headers-$ABI-common linux-kbuild-$ABI linux-source-6.12)
HAVE=$(apt-cache madison "${DEBS[@]}" 2>/dev/null | awk -v v="$KPKGVER" '$3 == v {print $1}' | sort -u)
for p in "${DEBS[@]}"; do
  grep -qxF "$p" <<< "$HAVE" || { echo "setup: apt has no $p=$KPKGVER (image, headers and source must be one version)" >&2; exit 1; }
done
echo "setup: kernel $KVER, packages $KPKGVER"
took "resolve kernel version"

KC=$CACHE/kernel/$KPKGVER          # everything for this kernel version lives here
mkdir -p "$KC" "$CACHE/debs/$KPKGVER"

# ---------------------------------------------------------------- download
step "download kernel packages"
DD=$CACHE/debs/$KPKGVER
if [ ! -f "$DD/.complete" ]; then
  (cd "$DD" && rm -f ./*.deb.partial && apt-get download -q "${DEBS[@]/%/=$KPKGVER}")
  touch "$DD/.complete"
else
  echo "setup: cached in $DD"
fi
deb() { ls "$DD"/"$1"_*.deb; }
took "download kernel packages"

# ---------------------------------------------------------------- stock tree
step "stock module tree"
if [ ! -f "$KC/stock/.complete" ]; then
  rm -rf "$KC/stock"
  dpkg -x "$(deb "linux-image-$KVER")" "$KC/stock"
  depmod -b "$KC/stock" "$KVER"
  touch "$KC/stock/.complete"
else
  echo "setup: cached in $KC/stock"
fi
grep -E '^CONFIG_(SMC|SMC_DIAG|SMC_LO|RDMA_RXE|NET_9P_VIRTIO|9P_FS)[= ]' "$KC/stock/boot/config-$KVER" | tr '\n' ' '; echo
took "stock module tree"

# ---------------------------------------------------------------- rebuild net/smc with CONFIG_SMC_LO=y
# Bump SMC_RECIPE when the recipe below changes: the stamp is keyed by it and the kernel version.
SMC_RECIPE=1
step "rebuild net/smc (CONFIG_SMC_LO=y)"
SMC_STAMP=$KC/.smc-built-$SMC_RECIPE
if [ ! -f "$SMC_STAMP" ]; then
  rm -rf "$KC/hdr" "$KC/src" "$KC/smc-build"
  for p in "linux-headers-$KVER" "linux-headers-$ABI-common" "linux-kbuild-$ABI"; do dpkg -x "$(deb "$p")" "$KC/hdr"; done
  H=$KC/hdr/usr/src
  # the arch header tree includes the -common tree by its installed absolute path: point it here
  sed -i "s|^include /usr/src/|include $H/|" "$H/linux-headers-$KVER/Makefile"
  dpkg -x "$(deb linux-source-6.12)" "$KC/src"
  tar -xaf "$KC/src/usr/src/linux-source-6.12.tar.xz" -C "$KC/src" linux-source-6.12/net/smc
  cp -r "$KC/src/linux-source-6.12/net/smc" "$KC/smc-build"
  rm -rf "$KC/src"                                  # 150 MB tarball: the .deb stays cached
  # Kconfig symbols are not seen by an out-of-tree build: set both the make var and the C define
  echo 'ccflags-y += -DCONFIG_SMC_LO=1' >> "$KC/smc-build/Makefile"
  # no pahole on the host: skip module BTF
  make -s -C "$H/linux-headers-$KVER" M="$KC/smc-build" CONFIG_SMC_LO=y \
       CONFIG_DEBUG_INFO_BTF_MODULES= -j"$(nproc)" modules
  grep -q loopback "$KC/smc-build/smc.ko" || { echo "setup: rebuilt smc.ko has no loopback-ism code" >&2; exit 1; }
  rm -rf "$KC/hdr"
  touch "$SMC_STAMP"
else
  echo "setup: cached in $KC/smc-build"
fi
modinfo -F vermagic "$KC/smc-build/smc.ko"
took "rebuild net/smc"

# ---------------------------------------------------------------- lo tree
step "lo module tree"
lab_lo_tree "$KC" "$KVER" "$SMC_RECIPE" strip
took "lo module tree"

# ---------------------------------------------------------------- initramfs
step "initramfs"
# what mounting the host over virtio-9p needs before any root exists
INITRD=$(lab_initramfs "$KC" "$KVER" /bin/busybox "$LAB/setup.sh" virtio_pci 9pnet_virtio 9p)
took "initramfs"

cat > "$CACHE/current.env.new" <<ENV
LAB_KPKGVER=$KPKGVER
LAB_KVER=$KVER
LAB_ARCH=amd64
LAB_KERNEL=$KC/stock/boot/vmlinuz-$KVER
LAB_KBOOT=$KC/stock/boot
LAB_INITRD=$INITRD
LAB_TREE_lo=$KC/lo
LAB_TREE_stock=$KC/stock
ENV
mv "$CACHE/current.env.new" "$CACHE/current.env"
# drop kernels of older versions (Debian moved on): keep only the current one
lab_drop_stale "$KPKGVER" "$CACHE"/kernel/* "$CACHE"/debs/*
printf 'setup: done in %.1f s (%s, cache %s)\n' "$(echo "$(date +%s.%N) - $T_ALL" | bc)" "$KVER" "$(du -sh "$CACHE" | cut -f1)"

[ "$ONLY_AMD64" = 1 ] && exit 0
rc=0
"$LAB/setup-nosmc.sh" || { rc=$?; echo "setup: the no-SMC kernel could not be built (rc=$rc)" >&2; }
"$LAB/setup-s390x.sh" || { r=$?; rc=$r; echo "setup: the s390x guest could not be built (rc=$r)" >&2; }
exit $rc
