# Sourced by the lab's setup scripts: apt with a PRIVATE configuration under the lab cache, for
# packages of another architecture or suite than the host's (the s390x guest's userland and kernel,
# sid's newest amd64 kernel). It has its own sources.list, preferences, package lists, archive dir
# and an empty dpkg status, so it never reads or changes the host's apt sources or dpkg state;
# nothing is installed: packages are only downloaded and then unpacked with dpkg -x.
#
#   papt_init ROOT ARCH SOURCES_LINES PREFS   writes ROOT/etc/apt/{sources.list,preferences.d/00suites}
#   papt ROOT apt-get|apt-cache ARGS...       runs apt with ROOT's configuration
#   papt_update ROOT MAX_AGE_S                `apt-get update` unless ROOT's lists are younger than MAX_AGE_S
#   papt_first_available ROOT "SET" "SET"...  the index of the first set of PKG=VER whose files are all
#                                             really in the pool (HTTP HEAD)
#   papt_closure ROOT PKGS...                 downloads PKGS and their dependencies (no recommends) into
#                                             ROOT/archives; prints "name version file" per package
#
# Mirrors of Debian sometimes list a version in the index whose file is not (yet or any more) in the
# pool (HTTP 404; seen for trixie's s390x point-release files). papt_closure then pins that exact
# version to -1 in ROOT/etc/apt/preferences.d/missing and resolves again, so apt picks the next best
# version (an older one, or another suite's); the pins are kept, so later runs skip those versions.

papt() {
  local root=$1 tool=$2 arch; shift 2
  arch=$(cat "$root/arch")
  "$tool" -q \
    -o Dir::Etc="$root/etc/apt" -o Dir::Etc::SourceParts="$root/etc/apt/sources.list.d" \
    -o Dir::State="$root/state" -o Dir::State::Lists="$root/lists" -o Dir::State::status="$root/state/status" \
    -o Dir::Cache="$root/cache" -o Dir::Cache::archives="$root/archives" \
    -o APT::Architecture="$arch" -o APT::Architectures::="$arch" \
    -o Debug::NoLocking=1 -o APT::Sandbox::User=root -o Acquire::Retries=3 "$@"
}

papt_init() {
  local root=$1 arch=$2 sources=$3 prefs=$4
  mkdir -p "$root"/etc/apt/{sources.list.d,preferences.d,apt.conf.d,trusted.gpg.d} "$root"/lists/partial \
           "$root"/archives/partial "$root"/state "$root"/cache
  echo "$arch" > "$root/arch"
  [ -f "$root/state/status" ] || : > "$root/state/status"      # empty: nothing counts as installed
  printf '%s\n' "$sources" > "$root/etc/apt/sources.list.new"
  printf '%s\n' "$prefs" > "$root/etc/apt/preferences.d/00suites"
  # new sources invalidate the lists
  if ! cmp -s "$root/etc/apt/sources.list.new" "$root/etc/apt/sources.list"; then
    mv "$root/etc/apt/sources.list.new" "$root/etc/apt/sources.list"; rm -f "$root/lists/.updated"
  else
    rm -f "$root/etc/apt/sources.list.new"
  fi
  touch "$root/etc/apt/preferences.d/missing"
}

papt_update() {
  local root=$1 max=$2 now stamp
  now=$(date +%s)
  stamp=$(stat -c %Y "$root/lists/.updated" 2>/dev/null || echo 0)
  if [ $((now - stamp)) -lt "$max" ]; then
    echo "papt: lists of $root are $(( (now - stamp) / 60 )) min old (refreshed every $((max / 3600)) h)"
    return 0
  fi
  papt "$root" apt-get update >/dev/null || return 1
  touch "$root/lists/.updated"
}

# prints "name version" of every package apt would install for PKGS (apt-get -s)
papt_resolve() {
  local root=$1; shift
  papt "$root" apt-get install -s --no-install-recommends "$@" 2>&1 | awk '
    /^Inst / { v = $3; gsub(/[()]/, "", v); print $2, v; next }
    /^E: / { print > "/dev/stderr"; bad = 1 }
    END { exit bad }'
}

papt_closure() {
  local root=$1; shift
  local round out errs pkg ver
  for round in 1 2 3 4 5 6 7 8; do
    out=$(papt "$root" apt-get install -y --download-only --no-install-recommends "$@" 2>&1)
    errs=$(grep -E '^Err:' <<< "$out" | awk '{print $(NF-2), $NF}')
    if [ -z "$errs" ]; then
      grep -q '^E: ' <<< "$out" && { grep -E '^E: |^ ' <<< "$out" >&2; return 1; }
      break
    fi
    echo "papt: round $round: $(wc -l <<< "$errs") package file(s) missing on the mirror, trying other versions:" $(awk '{print $1 "=" $2}' <<< "$errs") >&2
    while read -r pkg ver; do
      printf 'Package: %s\nPin: version %s\nPin-Priority: -1\n\n' "$pkg" "$ver" >> "$root/etc/apt/preferences.d/missing"
    done <<< "$errs"
    [ "$round" = 8 ] && { echo "papt: giving up after $round rounds" >&2; return 1; }
  done
  # what was resolved, with the file each came from (apt names files pkg_version_arch.deb, ':' as %3a)
  papt_resolve "$root" "$@" | while read -r pkg ver; do
    local f; f=$(ls "$root"/archives/"${pkg}_${ver//:/%3a}"_*.deb 2>/dev/null | head -n1)
    [ -n "$f" ] || { echo "papt: $pkg $ver was resolved but not downloaded" >&2; return 1; }
    echo "$pkg $ver $f"
  done
}

# papt_first_available ROOT "PKG=VER PKG=VER..." "PKG=VER..." ...: prints the index (0-based) of the
# first set whose files are all really in the pool (HTTP HEAD); one apt call resolves every set's URIs
papt_first_available() {
  local root=$1; shift
  local all=() set i pv uris url
  for set in "$@"; do read -r -a pvs <<< "$set"; all+=("${pvs[@]}"); done
  uris=$(papt "$root" apt-get download --print-uris "${all[@]}" 2>/dev/null | awk '{gsub(/'"'"'/, "", $1); print $2, $1}')
  i=0
  for set in "$@"; do
    local ok=1
    for pv in $set; do
      url=$(awk -v f="${pv%%=*}_$(sed 's/:/%3a/' <<< "${pv#*=}")_" 'index($1, f) == 1 {print $2; exit}' <<< "$uris")
      if [ -z "$url" ] || ! curl -sfI --retry 2 -o /dev/null "$url"; then ok=0; break; fi
    done
    [ "$ok" = 1 ] && { echo "$i"; return 0; }
    echo "papt: not all files of [$set] are on the mirror" >&2
    i=$((i + 1))
  done
  return 1
}
