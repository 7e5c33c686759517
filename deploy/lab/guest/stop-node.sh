# Sourced by the guest legs that start a node: stop_node PID PREFIX sends SIGTERM and waits at
# most LAB_NODE_STOP_S seconds (default 60) for a graceful exit, then SIGKILL: the guest powers off
# next, and a TCG guest's Hazelcast shutdown alone took about 2 minutes (nothing is checked after it).
stop_node() {
  local pid=$1 who=$2 i
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < ${LAB_NODE_STOP_S:-60}; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null
    echo "$who: node still stopping after ${LAB_NODE_STOP_S:-60} s: killed at $(cut -d' ' -f1 /proc/uptime)s"
  fi
  wait "$pid"; echo "$who: node stopped (rc=$?) at $(cut -d' ' -f1 /proc/uptime)s"
}
