#!/usr/bin/env python3
"""Writes the Grafana dashboard (grafana/smc-vertx-dashboard.json) and its Kubernetes ConfigMap for
the Grafana sidecar (deploy/k8s/smc-vertx-grafana-dashboard.yaml) from the panel list below, so the two never differ.
Run it after changing a panel; MonitoringQueriesTest checks the files are what this script writes
and that every smcvertx_* name in them is one a real node exports."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
SEL = '{instance=~"$instance"}'


def sel(metric, extra=""):
    inner = 'instance=~"$instance"' + ("," + extra if extra else "")
    return "%s{%s}" % (metric, inner)


# (title, type, unit, width, [(expr, legend)], description)
PANELS = [
    ("SMC available", "stat", "none", 6, [("min by (instance) (" + sel("smcvertx_smc_available") + ")", "{{instance}}")],
     "1 when the node's TCP channels are SMC sockets; 0: SMC unavailable (see /status smc.cause)."),
    ("Open connections by mode", "timeseries", "none", 9,
     [("sum by (mode) (" + sel("smcvertx_connections_open") + ")", "{{mode}}")],
     "Mode is the kernel's word (smc_diag): SMCD, SMCR, FALLBACK_TCP, TCP, UNKNOWN."),
    ("New connections by mode", "timeseries", "cps", 9,
     [("sum by (mode) (rate(" + sel("smcvertx_connections_classified") + "[5m]))", "{{mode}}")], ""),
    ("Fallbacks by reason", "timeseries", "cps", 12,
     [("sum by (reason) (rate(" + sel("smcvertx_fallbacks") + "[5m]))", "{{reason}}")],
     "CLC decline codes, e.g. 0x03010000 PEERNOSMC (the peer did not offer SMC), 0x03030008 NOUEID."),
    ("Fallback share of new connections", "timeseries", "percentunit", 12,
     [("sum by (reason) (rate(" + sel("smcvertx_fallbacks") + "[5m])) / ignoring (reason) group_left "
       "sum (rate(" + sel("smcvertx_connections_classified") + "[5m]))", "{{reason}}")], ""),
    ("Bytes by mode", "timeseries", "Bps", 12,
     [("sum by (mode, direction) (rate(" + sel("smcvertx_connection_bytes") + "[5m]))", "{{mode}} {{direction}}")],
     "Bytes Vert.x hands to and gets from the node's connections, by the connection's SMC mode."),
    ("Required closes by reason", "timeseries", "cps", 12,
     [("sum by (reason) (rate(" + sel("smcvertx_required_closed") + "[5m]))", "{{reason}}")],
     "Connections closed because SMC was required and the connection was not SMC."),
    ("Kernel SMC traffic (whole network namespace)", "timeseries", "Bps", 12,
     [("sum by (stat) (rate(" + sel("smcvertx_kernel_smc_stat", 'stat=~"smc[dr]_(rx|tx)_bytes"') + "[5m]))", "{{stat}}")],
     "SMC_NETLINK_GET_STATS counters: every SMC socket of the namespace, not only the node's."),
    ("Kernel handshakes", "timeseries", "cps", 12,
     [("sum by (stat) (rate(" + sel("smcvertx_kernel_smc_stat", 'stat=~"smc[dr]_(clnt|srv)_v[12]_succ|(client|server)_handshake_errors"') + "[5m]))", "{{stat}}")], ""),
    ("Fleet revision applied per host", "timeseries", "none", 12,
     [("max by (host) (smcvertx_cluster_revision_applied)", "{{host}}"),
      ("max (smcvertx_cluster_revision_current)", "newest revision")],
     "Every node reports every host's status map entry; max by host de-duplicates them."),
    ("Drift per host", "timeseries", "none", 12,
     [("max by (host) (smcvertx_cluster_host_drift)", "{{host}}")],
     "Differences between a host's kernel and its applied revision (changed by hand)."),
    ("Host reconciler state", "table", "none", 12,
     [("max by (host, state) (smcvertx_cluster_host_state)", "{{host}} {{state}}")], ""),
    ("Doctor findings", "timeseries", "none", 12,
     [("sum by (instance, status) (" + sel("smcvertx_doctor_findings") + ")", "{{instance}} {{status}}")],
     "smcctl doctor's findings on each node's host; FAIL > 0 means SMC cannot work as set up."),
]


def dashboard():
    panels, x, y, row_h = [], 0, 0, 8
    for i, (title, typ, unit, w, targets, desc) in enumerate(PANELS):
        if x + w > 24:
            x, y = 0, y + row_h
        panels.append({
            "id": i + 1, "type": typ, "title": title, "description": desc,
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "gridPos": {"h": row_h, "w": w, "x": x, "y": y},
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "options": {}, "targets": [
                {"refId": chr(65 + j), "expr": e, "legendFormat": l,
                 "datasource": {"type": "prometheus", "uid": "${datasource}"}} for j, (e, l) in enumerate(targets)],
        })
        x += w
    return {
        "uid": "smc-vertx", "title": "smc-vertx: SMC connections and fleet configuration",
        "tags": ["smc-vertx", "smc"], "timezone": "browser", "schemaVersion": 39, "version": 1,
        "refresh": "30s", "time": {"from": "now-6h", "to": "now"},
        "templating": {"list": [
            {"name": "datasource", "type": "datasource", "query": "prometheus", "label": "Prometheus"},
            {"name": "instance", "type": "query", "label": "node",
             "datasource": {"type": "prometheus", "uid": "${datasource}"},
             "query": {"query": "label_values(smcvertx_smc_available, instance)", "refId": "instance"},
             "definition": "label_values(smcvertx_smc_available, instance)",
             "includeAll": True, "multi": True, "allValue": ".*", "refresh": 2},
        ]},
        "panels": panels,
    }


def main():
    text = json.dumps(dashboard(), indent=2, sort_keys=True) + "\n"
    with open(os.path.join(HERE, "grafana", "smc-vertx-dashboard.json"), "w") as f:
        f.write(text)
    with open(os.path.join(HERE, "..", "k8s", "smc-vertx-grafana-dashboard.yaml"), "w") as f:
        f.write("# Written by deploy/monitoring/gen-dashboard.py: the dashboard for Grafana's sidecar, which loads\n"
                "# every ConfigMap labelled grafana_dashboard=\"1\" (the kube-prometheus-stack / grafana chart default).\n"
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: smc-vertx-dashboard\n  labels:\n"
                "    grafana_dashboard: \"1\"\n  annotations:\n    grafana_folder: smc-vertx\n"
                "data:\n  smc-vertx-dashboard.json: |\n")
        for line in text.splitlines():
            f.write(("    " + line).rstrip() + "\n")


if __name__ == "__main__":
    main()
