# Sourced by the relay benchmarks (host and lab guest): HAProxy as operators run it for TCP
# proxying, one process per listener: `mode tcp`, one thread (our relay runs one event loop), with
# or without `option splice-auto` (kernel splice(2) between the sockets, no copy to user space).
# haproxy_cfg FILE PORT TARGET_PORT SPLICE(0|1): writes the configuration
haproxy_cfg() {
    cat > "$1" <<CFG
global
    nbthread 1
    maxconn 1000
defaults
    mode tcp
    timeout connect 10s
    timeout client 300s
    timeout server 300s
listen relay
    bind 127.0.0.1:$2
    server target 127.0.0.1:$3
$([ "$4" = 1 ] && echo "    option splice-auto")
CFG
    haproxy -c -q -f "$1" || { echo "haproxy refused its configuration $1" >&2; return 1; }
}
