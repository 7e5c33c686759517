#!/usr/bin/env bash
# rdma-core's C RC ping-pong (Debian ibverbs-utils) on rxe0 with the GID of this guest's IPv4 address,
# line-buffered (ctl.py waits for its "local address" line), for guest.sh's raw-RDMA baseline (the same anchor disni-2vm.sh runs in CI, here counted in instructions).
#   rc-pingpong.sh MY_IPV4 [ibv_rc_pingpong args...]      (server: no peer address; client: the server's last)
set -uo pipefail
ME=${1:?my IPv4 address}; shift
for g in /sys/class/infiniband/rxe0/ports/1/gids/*; do
    # rxe0 keeps the IPv4-mapped GID (RoCE v2) of each address of its netdev
    [ "$(cat "$g")" = "$(printf '0000:0000:0000:0000:0000:ffff:%02x%02x:%02x%02x' ${ME//./ })" ] && exec stdbuf -oL ibv_rc_pingpong -d rxe0 -g "${g##*/}" "$@"
done
echo "rc-pingpong: no IPv4-mapped GID for $ME on rxe0" >&2
exit 1
