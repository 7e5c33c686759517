#!/usr/bin/env bash
# Builds the lab's "no SMC" guest kernel under deploy/lab/cache/nosmc/ (called by setup.sh; idempotent):
# Debian's newest stock amd64 kernel from sid (7.x), which is built without SMC (CONFIG_SMC depends
# on CONFIG_DIBS, which Debian leaves unset), exactly as a user of that kernel gets it:
#   * a private apt (lib/papt.sh) for sid amd64, lists refreshed at most every LAB_APT_MAX_AGE_H hours,
#   * the split kernel packages (linux-binary-*, linux-modules-*, linux-base-*), unpacked with dpkg -x,
#   * /boot as the kernel's postinst lays it out (vmlinuz-, config-, System.map-<release>), which
#     run-in-vm.sh binds over the guest's /boot,
#   * the guest initramfs (busybox-static + that kernel's 9p modules + initramfs/init).
# The guest's userland is the host's (as for the 6.12 guest). Result: deploy/lab/cache/nosmc/current.env,
# read by run-in-vm.sh -t nosmc.
# Env: LAB_NOSMC_KPKGVER=<Debian version> pins the kernel; LAB_APT_MAX_AGE_H (default 24).
set -euo pipefail
LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
N=$LAB/cache/nosmc
mkdir -p "$N"
. "$LAB/lib/papt.sh"
. "$LAB/lib/kernel.sh"
T_ALL=$(date +%s.%N)
T_STEP=0
step() { T_STEP=$(date +%s.%N); echo "setup-nosmc: == $*"; }
took() { printf 'setup-nosmc: -- %-22s %6.1f s\n' "$1" "$(echo "$(date +%s.%N) - $T_STEP" | bc)"; }

step "host packages"
# the private apt needs Debian's archive key and curl (to see that a listed file is really in the pool)
PKGS=(curl debian-archive-keyring busybox-static kmod cpio xz-utils zstd bc)
lab_host_packages setup-nosmc "${PKGS[@]}"
took "host packages"

step "sid package lists"
APT=$N/apt
papt_init "$APT" amd64 "deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main" ""
papt_update "$APT" $(( ${LAB_APT_MAX_AGE_H:-24} * 3600 ))
LISTS_STAMP=$(stat -c %Y "$APT/lists/.updated")
took "sid package lists"

step "resolve the newest kernel"
RES=$N/kernel.resolved
flavour() {   # "7.2.13-1 7.2.13+deb14" for the newest (or the pinned) plain amd64 flavour whose files are on the mirror
  local cands=() sets=() c ver name abi idx
  mapfile -t cands < <(papt "$APT" apt-cache madison $(papt "$APT" apt-cache search --names-only \
      '^linux-binary-[0-9.]+\+deb[0-9.]+-amd64$' | awk '{print $1}') | awk '{print $3, $1}' | sort -u | sort -rV \
      | awk -v pin="${LAB_NOSMC_KPKGVER:-}" 'pin == "" || $1 == pin')
  for c in "${cands[@]}"; do
    read -r ver name <<< "$c"; abi=${name#linux-binary-}; abi=${abi%-amd64}
    sets+=("linux-binary-$abi-amd64=$ver linux-modules-$abi-amd64=$ver linux-base-$abi-amd64=$ver")
  done
  [ ${#sets[@]} -gt 0 ] || return 1
  idx=$(papt_first_available "$APT" "${sets[@]}") || return 1
  read -r ver name <<< "${cands[$idx]}"; abi=${name#linux-binary-}; echo "$ver ${abi%-amd64}"
}
if [ -z "${LAB_NOSMC_KPKGVER:-}" ] && [ -f "$RES" ] && [ "$(sed -n 1p "$RES")" = "$LISTS_STAMP" ]; then
  read -r KPKGVER ABI < <(sed -n 2p "$RES")
else
  read -r KPKGVER ABI < <(flavour) || { echo "setup-nosmc: no complete sid amd64 kernel on the mirror" >&2; exit 1; }
  [ -n "${LAB_NOSMC_KPKGVER:-}" ] || printf '%s\n%s %s\n' "$LISTS_STAMP" "$KPKGVER" "$ABI" > "$RES"
fi
KVER=$ABI-amd64
echo "setup-nosmc: kernel $KVER, packages $KPKGVER"
took "resolve the newest kernel"

KC=$N/kernel/$KPKGVER
DD=$N/debs/$KPKGVER
mkdir -p "$KC" "$DD"
step "download"
if [ ! -f "$DD/.complete" ]; then
  (cd "$DD" && rm -f ./*.partial && papt "$APT" apt-get download "linux-binary-$KVER=$KPKGVER" \
     "linux-modules-$KVER=$KPKGVER" "linux-base-$KVER=$KPKGVER")
  touch "$DD/.complete"
else
  echo "setup-nosmc: cached in $DD"
fi
took "download"

step "module tree and /boot"
if [ ! -f "$KC/stock/.complete" ]; then
  rm -rf "$KC/stock"
  for d in "$DD"/*.deb; do dpkg -x "$d" "$KC/stock"; done
  if [ -d "$KC/stock/usr/lib/modules" ]; then mkdir -p "$KC/stock/lib"; mv "$KC/stock/usr/lib/modules" "$KC/stock/lib/modules"; fi
  M=$KC/stock/lib/modules/$KVER
  # what the image's postinst puts into /boot on a Debian system
  mkdir -p "$KC/stock/boot"
  cp "$M/vmlinuz" "$KC/stock/boot/vmlinuz-$KVER"
  cp "$M/config" "$KC/stock/boot/config-$KVER"
  cp "$M/System.map" "$KC/stock/boot/System.map-$KVER"
  depmod -b "$KC/stock" "$KVER"
  touch "$KC/stock/.complete"
else
  echo "setup-nosmc: cached in $KC/stock"
fi
C=$KC/stock/boot/config-$KVER
grep -E '^(# )?CONFIG_(SMC|SMC_DIAG|DIBS|DIBS_LO|9P_FS|NET_9P_VIRTIO)[= ]' "$C" | tr '\n' ';'; echo
if grep -qE '^CONFIG_SMC=[ym]' "$C"; then
  echo "setup-nosmc: WARNING: $KVER has CONFIG_SMC: the no-SMC leg needs a kernel without it (pin LAB_NOSMC_KPKGVER)" >&2
  exit 1
fi
took "module tree and /boot"

step "initramfs"
INITRD=$(lab_initramfs "$KC" "$KVER" /bin/busybox "$LAB/setup-nosmc.sh" virtio_pci 9pnet_virtio 9p)
took "initramfs"

cat > "$N/current.env.new" <<ENV
LAB_ARCH=amd64
LAB_KPKGVER=$KPKGVER
LAB_KVER=$KVER
LAB_KERNEL=$KC/stock/boot/vmlinuz-$KVER
LAB_KBOOT=$KC/stock/boot
LAB_INITRD=$INITRD
LAB_TREE_nosmc=$KC/stock
ENV
mv "$N/current.env.new" "$N/current.env"
lab_drop_stale "$KPKGVER" "$N"/kernel/* "$N"/debs/*
printf 'setup-nosmc: done in %.1f s (%s, cache %s)\n' "$(echo "$(date +%s.%N) - $T_ALL" | bc)" "$KVER" "$(du -sh "$N" | cut -f1)"
