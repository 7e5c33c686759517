# Sourced by the lab's setup scripts: the steps every guest kernel goes through.
#
#   lab_lo_tree KC KVER RECIPE STRIP        module tree "lo": a hard-linked copy of "stock" with
#                                           KC/smc-build/smc.ko and smc_diag.ko in place of Debian's
#   lab_initramfs KC KVER BUSYBOX STAMP MODULE...
#                                           KC/initramfs-<hash>.cpio.gz: BUSYBOX, MODULE... (with their
#                                           dependencies, in load order, from the stock tree) and
#                                           initramfs/init; rebuilt when init, BUSYBOX or STAMP (the
#                                           calling script) change; prints its path last
#   lab_drop_stale KEEP DIR...              removes every DIR whose name is not KEEP (older versions)
#   lab_host_packages WHO PKG...            apt-get installs the PKGs the host lacks (`apt-get update`
#                                           only then); WHO prefixes the message
# lab_initramfs expects LAB (the deploy/lab directory) to be set; messages go to stderr.

lab_lo_tree() {
  local kc=$1 kver=$2 recipe=$3 strip=$4 sd
  if [ -f "$kc/lo/.complete-$recipe" ]; then
    echo "lab: cached in $kc/lo" >&2
    return 0
  fi
  rm -rf "$kc/lo"
  cp -al "$kc/stock" "$kc/lo"                      # hard links: costs no disk
  sd=$kc/lo/lib/modules/$kver/kernel/net/smc
  rm -f "$sd"/smc*.ko*
  # --strip-debug keeps .BTF (not a debug section)
  "$strip" --strip-debug -o "$sd/smc.ko" "$kc/smc-build/smc.ko"
  "$strip" --strip-debug -o "$sd/smc_diag.ko" "$kc/smc-build/smc_diag.ko"
  rm -f "$kc/lo/.complete"
  depmod -b "$kc/lo" "$kver"
  touch "$kc/lo/.complete-$recipe"
}

lab_initramfs() {
  local kc=$1 kver=$2 busybox=$3 stamp=$4; shift 4
  local init=$LAB/initramfs/init ih st m
  ih=$( (sha256sum "$init" "$stamp" "$busybox" | cut -c1-64; basename "$kc") | sha256sum | cut -c1-16)
  if [ -f "$kc/initramfs-$ih.cpio.gz" ]; then
    echo "lab: cached $kc/initramfs-$ih.cpio.gz" >&2
    echo "$kc/initramfs-$ih.cpio.gz"
    return 0
  fi
  st=$(mktemp -d)
  mkdir -p "$st"/{bin,dev,proc,sys,mods,newroot}
  cp "$busybox" "$st/bin/busybox"
  for m in "$@"; do
    modprobe -d "$kc/stock" -S "$kver" --show-depends "$m" | awk '$1 == "insmod" {print $2}'
  done | awk '!seen[$0]++' | while read -r ko; do
    local b; b=$(basename "$ko"); b=${b%.xz}; b=${b%.zst}
    case "$ko" in *.xz) xz -dc "$ko" > "$st/mods/$b";; *.zst) zstd -qdc "$ko" > "$st/mods/$b";; *) cp "$ko" "$st/mods/$b";; esac
    echo "$b" >> "$st/mods/order"
  done
  install -m 755 "$init" "$st/init"
  rm -f "$kc"/initramfs-*.cpio.gz
  (cd "$st" && find . | cpio -o -H newc --quiet | gzip -1) > "$kc/initramfs-$ih.cpio.gz.new"
  mv "$kc/initramfs-$ih.cpio.gz.new" "$kc/initramfs-$ih.cpio.gz"
  echo "lab: modules in initramfs: $(tr '\n' ' ' < "$st/mods/order")" >&2
  rm -rf "$st"
  echo "$kc/initramfs-$ih.cpio.gz"
}

lab_drop_stale() {
  local keep=$1 d; shift
  for d in "$@"; do
    [ -e "$d" ] || continue
    [ "$(basename "$d")" = "$keep" ] || { echo "lab: removing stale $d" >&2; rm -rf "$d"; }
  done
}

lab_host_packages() {
  local who=$1 p sudo=; shift
  local need=()
  [ "$(id -u)" = 0 ] || sudo=sudo
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
  [ ${#need[@]} -gt 0 ] || return 0
  echo "$who: installing ${need[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
}
