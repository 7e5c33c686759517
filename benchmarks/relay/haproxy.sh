# Sourced by the relay benchmarks (host and lab guest): HAProxy as operators run it for TCP
# proxying: `mode tcp`, one thread (our relay runs one event loop), with or without
# `option splice-auto` (kernel splice(2) between the sockets, no copy through user space), or with
# splicing forced both ways (`option splice-request` + `splice-response`). splice-auto leaves the
# choice to HAProxy's heuristics, and HAProxy 2.6.12 never chose it for these streams: strace -c -f
# of its process over a 256 MiB stream on the host counted 16,741 recvfrom + 16,741 sendto and no
# splice; forced, 8,205 splice calls and 2 recvfrom (2026-12-05). So "haproxy-splice" measures
# HAProxy as configured with splice-auto, and "haproxy-spliced" HAProxy actually splicing.
# haproxy_cfg FILE SPLICE(0|1|2: none, auto, forced) PORT TARGET_PORT [PORT TARGET_PORT]...: one listener per pair
haproxy_cfg() {
    local file=$1 splice=$2; shift 2
    {
        printf 'global\n    nbthread 1\n    maxconn 1000\n'
        printf 'defaults\n    mode tcp\n    timeout connect 10s\n    timeout client 300s\n    timeout server 300s\n'
        while [ $# -ge 2 ]; do
            printf 'listen relay%s\n    bind 127.0.0.1:%s\n    server target 127.0.0.1:%s\n' "$1" "$1" "$2"
            [ "$splice" = 1 ] && printf '    option splice-auto\n'
            [ "$splice" = 2 ] && printf '    option splice-request\n    option splice-response\n'
            shift 2
        done
    } > "$file"
    haproxy -c -q -f "$file" || { echo "haproxy refused its configuration $file" >&2; return 1; }
}
