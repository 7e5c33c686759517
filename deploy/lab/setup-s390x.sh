#!/usr/bin/env bash
# Builds the lab's IBM Z guest under deploy/lab/cache/s390x/ (called by setup.sh; idempotent, every
# step stamped by what it was built from, so a rerun rebuilds only what changed):
#   * a private apt (lib/papt.sh) for s390x over trixie, trixie-security and sid (sid only where
#     trixie's file is missing on the mirror), lists refreshed at most every LAB_APT_MAX_AGE_H hours,
#   * Debian trixie's newest s390x 6.12 kernel whose files are all really on the mirror
#     (image, headers, linux-source of the same version), unpacked with dpkg -x,
#   * net/smc cross-built from that linux-source with CONFIG_SMC_LO=y (loopback-ISM) and module BTF
#     (pahole against the headers' vmlinux), into module tree "lo"; "stock" keeps Debian's smc.ko,
#   * an s390x userland (the host root is amd64): OpenJDK 25 JRE, bash, busybox, python3, curl,
#     iproute2, kmod, util-linux and their dependency closure, unpacked with dpkg -x into a rootfs,
#   * the guest initramfs (s390x busybox-static + the kernel's 9p modules + initramfs/init).
# Result: deploy/lab/cache/s390x/current.env, read by run-in-vm.sh --arch s390x.
# Env: LAB_S390X_KPKGVER=<Debian version> pins the kernel; LAB_APT_MAX_AGE_H (default 24);
#      LAB_S390X_CACHE=DIR builds into DIR instead (e.g. an empty scratch dir, to measure a setup from
#      nothing without touching the lab's cache; run-in-vm.sh reads only deploy/lab/cache/s390x).
set -euo pipefail
LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
S=${LAB_S390X_CACHE:-$LAB/cache/s390x}
mkdir -p "$S"
. "$LAB/lib/papt.sh"
. "$LAB/lib/kernel.sh"
export DEBIAN_FRONTEND=noninteractive
T_ALL=$(date +%s.%N)
T_STEP=0
# CPU seconds (user+sys) of this shell's finished children: on a shared machine wall time says little.
# `times` must run in this shell itself (a pipeline or $(...) is a subshell with its own, empty, account)
CPU_F=$(mktemp); trap 'rm -f "$CPU_F"' EXIT
cpu_now() { times > "$CPU_F"; CPU_NOW=$(sed -n 2p "$CPU_F" | awk '{for (i = 1; i <= 2; i++) {split($i, a, /[ms]/); t += a[1] * 60 + a[2]}} END {printf "%.1f", t}'); }
step() { T_STEP=$(date +%s.%N); cpu_now; C_STEP=$CPU_NOW; echo "setup-s390x: == $*"; }
took() { cpu_now; printf 'setup-s390x: -- %-22s %6.1f s wall, %6.1f s CPU\n' "$1" "$(echo "$(date +%s.%N) - $T_STEP" | bc)" \
                          "$(echo "$CPU_NOW - $C_STEP" | bc)"; }
XPFX=s390x-linux-gnu-
CROSS=(ARCH=s390 CROSS_COMPILE=$XPFX CC=${XPFX}gcc-12)

# ---------------------------------------------------------------- host packages
step "host packages"
PKGS=(qemu-system-misc gcc-12-s390x-linux-gnu binutils-s390x-linux-gnu libc6-dev-s390x-cross flex bison
      libelf-dev libssl-dev pahole bc make kmod cpio xz-utils curl debian-archive-keyring)
lab_host_packages setup-s390x "${PKGS[@]}"
took "host packages"

# ---------------------------------------------------------------- private apt (s390x)
step "s390x package lists"
APT=$S/apt
KEY="signed-by=/usr/share/keyrings/debian-archive-keyring.gpg"
papt_init "$APT" s390x "deb [arch=s390x $KEY] http://deb.debian.org/debian trixie main
deb [arch=s390x $KEY] http://deb.debian.org/debian-security trixie-security main
deb [arch=s390x $KEY] http://deb.debian.org/debian sid main" "Package: *
Pin: release n=sid
Pin-Priority: 100"
papt_update "$APT" $(( ${LAB_APT_MAX_AGE_H:-24} * 3600 ))
LISTS_STAMP=$(stat -c %Y "$APT/lists/.updated")
took "s390x package lists"

# ---------------------------------------------------------------- userland (rootfs)
# Bump ROOTFS_RECIPE when the fix-ups below change.
ROOTFS_RECIPE=2
USERLAND=(openjdk-25-jre-headless bash dash busybox-static python3 curl iproute2 kmod util-linux coreutils grep sed
          mawk findutils procps)
step "s390x userland"
# resolving the closure costs apt 20-60 s: reuse the answer while the lists and pins are the same
RKEY=$( (echo "$LISTS_STAMP ${USERLAND[*]}"; cat "$APT"/etc/apt/preferences.d/* 2>/dev/null) | sha256sum | cut -c1-16)
if [ -s "$S/userland.resolved-$RKEY" ]; then
  RESOLVED=$(cat "$S/userland.resolved-$RKEY")
else
  RESOLVED=$(papt_resolve "$APT" "${USERLAND[@]}") || exit 1
  rm -f "$S"/userland.resolved-*; printf '%s\n' "$RESOLVED" > "$S/userland.resolved-$RKEY"
fi
RID=$( (echo "recipe $ROOTFS_RECIPE"; sort <<< "$RESOLVED") | sha256sum | cut -c1-16)
ROOTFS=$S/rootfs/$RID
if [ ! -f "$ROOTFS/.complete" ]; then
  LIST=$(papt_closure "$APT" "${USERLAND[@]}")
  # versions missing on the mirror were pinned away while downloading: name the rootfs by what it holds
  RESOLVED=$(papt_resolve "$APT" "${USERLAND[@]}")
  RID=$( (echo "recipe $ROOTFS_RECIPE"; sort <<< "$RESOLVED") | sha256sum | cut -c1-16)
  ROOTFS=$S/rootfs/$RID
  rm -rf "$ROOTFS.new"; mkdir -p "$ROOTFS.new"
  # dpkg -x only unpacks: no maintainer scripts run, so what they would create is made below
  awk '{print $3}' <<< "$LIST" | xargs -P 2 -n 8 sh -c 'for d; do dpkg -x "$d" "$0"; done' "$ROOTFS.new"
  R=$ROOTFS.new
  for d in dev proc sys tmp run root var/tmp boot usr/lib/modules etc; do mkdir -p "$R/$d"; done
  chmod 1777 "$R/tmp" "$R/var/tmp"
  printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$R/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$R/etc/group"
  printf '127.0.0.1\tlocalhost smclab\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$R/etc/hosts"
  echo smclab > "$R/etc/hostname"
  # update-alternatives would make these links
  ln -sf mawk "$R/usr/bin/awk"
  ln -sf dash "$R/usr/bin/sh"
  JH=$(cd "$R/usr/lib/jvm" && find . -maxdepth 1 -type d -name 'java-*-openjdk-s390x' -printf '%f\n' | sort | head -n1)
  ln -sf "../lib/jvm/$JH/bin/java" "$R/usr/bin/java"
  # the JDK's truststore link points at ca-certificates-java's output: the keystore format is portable
  if [ -f /etc/ssl/certs/java/cacerts ]; then mkdir -p "$R/etc/ssl/certs/java"; cp /etc/ssl/certs/java/cacerts "$R/etc/ssl/certs/java/"; fi
  awk '{print $1 "=" $2}' <<< "$LIST" > "$R/.packages"
  touch "$R/.complete"
  rm -rf "$ROOTFS"; mv "$R" "$ROOTFS"
  echo "setup-s390x: rootfs $ROOTFS: $(wc -l < "$ROOTFS/.packages") packages, $(du -sh "$ROOTFS" | cut -f1)"
else
  echo "setup-s390x: cached $ROOTFS"
fi
lab_drop_stale "$(basename "$ROOTFS")" "$S"/rootfs/*
JAVA_REL=$(readlink "$ROOTFS/usr/bin/java"); JAVA_REL=/usr/lib/${JAVA_REL#../lib/}
grep -E '^(openjdk-25-jre-headless|python3|libc6)=' "$ROOTFS/.packages" | tr '\n' ' '; echo
took "s390x userland"

# ---------------------------------------------------------------- kernel version
step "resolve s390x kernel"
RES=$S/kernel.resolved
if [ -n "${LAB_S390X_KPKGVER:-}" ]; then
  KPKGVER=$LAB_S390X_KPKGVER
  ABI=$(papt "$APT" apt-cache madison $(papt "$APT" apt-cache search --names-only '^linux-image-6\.12\..*-s390x$' | awk '{print $1}') \
        | awk -v v="$KPKGVER" '$3 == v {print $1}' | head -n1 | sed 's/^linux-image-//; s/-s390x$//')
  [ -n "$ABI" ] || { echo "setup-s390x: no s390x kernel image of version $KPKGVER" >&2; exit 1; }
elif [ -f "$RES" ] && [ "$(sed -n 1p "$RES")" = "$LISTS_STAMP" ]; then
  read -r KPKGVER ABI < <(sed -n 2p "$RES")
  echo "setup-s390x: as resolved from these lists before"
else
  # newest first; take the first version whose four files are really on the mirror (HTTP HEAD)
  mapfile -t CANDS < <(papt "$APT" apt-cache madison $(papt "$APT" apt-cache search --names-only \
      '^linux-image-6\.12\.[0-9]+\+deb13[.0-9]*-s390x$' | awk '{print $1}') | awk '{print $3, $1}' | sort -u | sort -rV)
  SETS=()
  for c in "${CANDS[@]}"; do
    read -r ver name <<< "$c"; abi=${name#linux-image-}; abi=${abi%-s390x}
    SETS+=("linux-image-$abi-s390x=$ver linux-headers-$abi-s390x=$ver linux-headers-$abi-common=$ver linux-source-6.12=$ver")
  done
  IDX=$(papt_first_available "$APT" "${SETS[@]}") || { echo "setup-s390x: no trixie s390x 6.12 kernel is complete on the mirror" >&2; exit 1; }
  read -r KPKGVER name <<< "${CANDS[$IDX]}"; ABI=${name#linux-image-}; ABI=${ABI%-s390x}
  printf '%s\n%s %s\n' "$LISTS_STAMP" "$KPKGVER" "$ABI" > "$RES"
fi
KVER=$ABI-s390x
echo "setup-s390x: kernel $KVER, packages $KPKGVER"
took "resolve s390x kernel"

KC=$S/kernel/$KPKGVER
DD=$S/debs/$KPKGVER
mkdir -p "$KC" "$DD"

# ---------------------------------------------------------------- download
step "download s390x kernel"
DEBS=("linux-image-$KVER=$KPKGVER" "linux-headers-$KVER=$KPKGVER" "linux-headers-$ABI-common=$KPKGVER" "linux-source-6.12=$KPKGVER")
if [ ! -f "$DD/.complete" ]; then
  (cd "$DD" && rm -f ./*.partial && papt "$APT" apt-get download "${DEBS[@]}")
  touch "$DD/.complete"
else
  echo "setup-s390x: cached in $DD"
fi
deb() { ls "$DD"/"$1"_*.deb; }
took "download s390x kernel"

# ---------------------------------------------------------------- stock tree
step "s390x stock module tree"
if [ ! -f "$KC/stock/.complete" ]; then
  rm -rf "$KC/stock"
  dpkg -x "$(deb "linux-image-$KVER")" "$KC/stock"
  # trixie installs modules under /usr/lib/modules; modprobe -d DIR looks in DIR/lib/modules
  if [ -d "$KC/stock/usr/lib/modules" ]; then mkdir -p "$KC/stock/lib"; mv "$KC/stock/usr/lib/modules" "$KC/stock/lib/modules"; fi
  depmod -b "$KC/stock" "$KVER"
  touch "$KC/stock/.complete"
else
  echo "setup-s390x: cached in $KC/stock"
fi
grep -E '^CONFIG_(SMC|SMC_DIAG|SMC_LO|ISM|DEBUG_INFO_BTF_MODULES|MODULE_SIG_FORCE|9P_FS)[= ]' "$KC/stock/boot/config-$KVER" | tr '\n' ' '; echo
took "s390x stock module tree"

# ---------------------------------------------------------------- cross-build net/smc with CONFIG_SMC_LO=y
# The headers package's tools (linux-kbuild) are built for trixie's glibc and do not run here, so the
# build prepares the matching linux-source itself: Debian's config plus CONFIG_SMC_LO=y, modules_prepare
# with the cross compiler (gcc-12: bookworm has no s390x gcc-14; the kernel tolerates the difference),
# Module.symvers (modversions) and the BTF-only vmlinux (module BTF) from the headers package.
# Module BTF stays on: a smc.ko without it loaded, and then loading smc_diag crashed the kernel.
# Bump SMC_RECIPE when the recipe changes.
SMC_RECIPE=1
step "cross-build net/smc (CONFIG_SMC_LO=y)"
SMC_STAMP=$KC/.smc-built-$SMC_RECIPE
if [ ! -f "$SMC_STAMP" ]; then
  rm -rf "$KC/hdr" "$KC/src" "$KC/smc-build"
  for p in "linux-headers-$KVER" "linux-headers-$ABI-common"; do dpkg -x "$(deb "$p")" "$KC/hdr"; done
  H=$KC/hdr/usr/src/linux-headers-$KVER
  dpkg -x "$(deb linux-source-6.12)" "$KC/src"
  # what Kconfig, modules_prepare and net/smc need: no other arch's code, no driver/fs/sound C files
  EX=()
  for a in alpha arc arm arm64 csky hexagon loongarch m68k microblaze mips nios2 openrisc parisc powerpc \
           riscv sh sparc um x86 xtensa; do
    EX+=(--exclude="linux-source-6.12/arch/$a/*.[chS]" --exclude="linux-source-6.12/arch/$a/*.dts*")
  done
  tar -xaf "$KC/src/usr/src/linux-source-6.12.tar.xz" -C "$KC/src" "${EX[@]}" \
      --exclude='linux-source-6.12/Documentation/*/*' --exclude='linux-source-6.12/tools/testing' \
      --exclude='linux-source-6.12/drivers/*.[ch]' --exclude='linux-source-6.12/sound/*.[ch]' \
      --exclude='linux-source-6.12/fs/*.[ch]'
  rm -f "$KC/src/usr/src/linux-source-6.12.tar.xz"     # 150 MB: the .deb stays cached
  K=$KC/src/linux-source-6.12
  LOCALV=${KVER#"${KPKGVER%%-*}"}                      # 6.12.113 + "+deb13-s390x"
  cp "$H/.config" "$K/.config"
  sed -i 's/^# CONFIG_SMC_LO is not set$/CONFIG_SMC_LO=y/' "$K/.config"
  grep -qx 'CONFIG_SMC_LO=y' "$K/.config" || echo 'CONFIG_SMC_LO=y' >> "$K/.config"
  make -s -C "$K" "${CROSS[@]}" LOCALVERSION="$LOCALV" olddefconfig
  # only compiler-detected symbols may differ from Debian's build; anything else would change the ABI
  DIFF=$(diff <(grep '^CONFIG_' "$H/.config" | sort) <(grep '^CONFIG_' "$K/.config" | sort) | grep '^[<>]' \
         | grep -vE '^[<>] CONFIG_(SMC_LO|CC_|GCC_|AS_|LD_|PAHOLE_|RUSTC_|CLANG_|TOOLS_SUPPORT_)' || true)
  [ -z "$DIFF" ] || { echo "setup-s390x: the config differs from Debian's beyond the compiler:" >&2; echo "$DIFF" >&2; exit 1; }
  [ "$(make -s -C "$K" "${CROSS[@]}" LOCALVERSION="$LOCALV" kernelrelease)" = "$KVER" ] \
    || { echo "setup-s390x: kernel release does not come out as $KVER" >&2; exit 1; }
  make -s -C "$K" "${CROSS[@]}" LOCALVERSION="$LOCALV" -j"$(nproc)" modules_prepare
  cp "$H/Module.symvers" "$H/vmlinux" "$K/"
  make -s -C "$K" "${CROSS[@]}" LOCALVERSION="$LOCALV" -j"$(nproc)" M=net/smc modules
  mkdir -p "$KC/smc-build"
  cp "$K/net/smc/smc.ko" "$K/net/smc/smc_diag.ko" "$KC/smc-build/"
  grep -q loopback "$KC/smc-build/smc.ko" || { echo "setup-s390x: rebuilt smc.ko has no loopback-ism code" >&2; exit 1; }
  ${XPFX}readelf -S "$KC/smc-build/smc.ko" | grep -q '\.BTF' || { echo "setup-s390x: rebuilt smc.ko has no BTF" >&2; exit 1; }
  rm -rf "$KC/hdr" "$KC/src"
  touch "$SMC_STAMP"
else
  echo "setup-s390x: cached in $KC/smc-build"
fi
[ "$(modinfo -F vermagic "$KC/smc-build/smc.ko")" = "$(modinfo -F vermagic "$KC/stock/lib/modules/$KVER/kernel/net/smc/smc.ko.xz")" ] \
  || { echo "setup-s390x: vermagic of the rebuilt smc.ko differs from Debian's" >&2; exit 1; }
modinfo -F vermagic "$KC/smc-build/smc.ko"
took "cross-build net/smc"

# ---------------------------------------------------------------- lo tree
step "s390x lo module tree"
lab_lo_tree "$KC" "$KVER" "$SMC_RECIPE" ${XPFX}strip
took "s390x lo module tree"

# ---------------------------------------------------------------- initramfs
step "s390x initramfs"
# the s390x busybox of the rootfs; virtio over channel I/O (virtio_ccw) is built in, 9p is not
INITRD=$(lab_initramfs "$KC" "$KVER" "$ROOTFS/usr/bin/busybox" "$LAB/setup-s390x.sh" 9pnet_virtio 9p)
took "s390x initramfs"

cat > "$S/current.env.new" <<ENV
LAB_ARCH=s390x
LAB_KPKGVER=$KPKGVER
LAB_KVER=$KVER
LAB_KERNEL=$KC/stock/boot/vmlinuz-$KVER
LAB_KBOOT=$KC/stock/boot
LAB_INITRD=$INITRD
LAB_TREE_lo=$KC/lo
LAB_TREE_stock=$KC/stock
LAB_ROOTFS=$ROOTFS
LAB_GUEST_JAVA=$JAVA_REL
ENV
mv "$S/current.env.new" "$S/current.env"
lab_drop_stale "$KPKGVER" "$S"/kernel/* "$S"/debs/*
# downloaded userland .debs are unpacked in the rootfs: keep only the lists and pins
rm -f "$APT"/archives/*.deb
cpu_now
printf 'setup-s390x: done in %.1f s wall, %.1f s CPU (%s, cache %s)\n' "$(echo "$(date +%s.%N) - $T_ALL" | bc)" "$CPU_NOW" \
  "$KVER" "$(du -sh "$S" | cut -f1)"
