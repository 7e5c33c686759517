#!/usr/bin/env bash
# CI check of the monitoring files: promtool (from Debian's prometheus package) checks the alert
# rules and runs their unit tests; the dashboard and its ConfigMap must be what gen-dashboard.py
# writes. (That every smcvertx_* name in them is exported by a real node is MonitoringQueriesTest's
# job, in the host build.) promtool is used from PATH, else taken out of the Debian package with
# apt-get download + dpkg -x into deploy/monitoring/.tools/ (no daemon is installed or started).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
PROMTOOL=$(command -v promtool || true)
if [ -z "$PROMTOOL" ]; then
  TOOLS=$HERE/.tools
  PROMTOOL=$TOOLS/usr/bin/promtool
  if [ ! -x "$PROMTOOL" ]; then
    mkdir -p "$TOOLS/deb"
    (cd "$TOOLS/deb" && apt-get download prometheus >/dev/null) || { echo "monitoring: cannot download Debian's prometheus package (apt-get update?)" >&2; exit 1; }
    dpkg -x "$TOOLS"/deb/prometheus_*.deb "$TOOLS"
  fi
fi
echo "monitoring: $("$PROMTOOL" --version 2>&1 | head -1)"
"$PROMTOOL" check rules "$HERE/prometheus/smc-vertx-rules.yml"
(cd "$HERE/prometheus" && "$PROMTOOL" test rules smc-vertx-rules.test.yml)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -r "$HERE" "$tmp/monitoring"; mkdir -p "$tmp/k8s"
python3 "$tmp/monitoring/gen-dashboard.py"
cmp "$tmp/monitoring/grafana/smc-vertx-dashboard.json" "$HERE/grafana/smc-vertx-dashboard.json"
cmp "$tmp/k8s/smc-vertx-grafana-dashboard.yaml" "$HERE/../k8s/smc-vertx-grafana-dashboard.yaml"
echo "monitoring: rules checked and tested; dashboard and ConfigMap match gen-dashboard.py"
