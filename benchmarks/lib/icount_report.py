"""Reports of lab runs under the icount model: per run, the subject/anchor ratio of each metric
(median over the run's rounds); then whether the runs repeat (the figures of run 2 against run 1);
then the goals of the benchmark, computed from those medians.

raw.txt lines: run=N bench=... param=... variant=... round=... metric=value ...
usage: icount_report.py RAW --subject V --anchor V --metrics m1,m2 [--title T] [--goals NAME] [--tolerance 0.01]
"""
import collections
import statistics
import sys

import summarize  # same directory: its raw-line parser and number format


def parse(path):
    runs = summarize.parse(path)
    for kv in runs:
        kv.setdefault("run", "1")
    return runs


def quiet_rounds(rows):
    """The rounds a figure is made of: where a (run, param, variant) has rounds its JVMs' compiler
    threads left alone (no jit_busy=1: guest-common.sh `rounds`), only those; otherwise all of them.
    Returns the rows and a note of what was left out (the left-out rounds stay in raw.txt)."""
    groups = collections.defaultdict(list)
    for r in rows:
        groups[(r["run"], r.get("param"), r.get("variant"))].append(r)
    kept, dropped, all_busy = [], [], []
    for key, rs in groups.items():
        quiet = [r for r in rs if r.get("jit_busy") != "1"]
        kept += quiet or rs
        if quiet and len(quiet) < len(rs):
            dropped.append("%s %s run %s: %d" % (key[1], key[2], key[0], len(rs) - len(quiet)))
        elif not quiet:
            all_busy.append("%s %s run %s" % (key[1], key[2], key[0]))
    note = []
    if dropped:
        note.append("Rounds left out because the JIT compiled in them (over 1% of the JVMs' instructions; kept in raw.txt "
                    "as jit_busy=1): " + "; ".join(dropped) + ".")
    if all_busy:
        note.append("No JIT-quiet round, so every round counts: " + "; ".join(all_busy) + ".")
    return kept, note


def fmt(x):
    """summarize's number format; a figure one side lacks (a run stopped early, a subject skipped) is n/a."""
    return "n/a" if x is None else summarize.fmt(x)


class Medians:
    """Median over rounds per (run, param, variant, metric)."""

    def __init__(self, rows):
        vals = collections.defaultdict(list)
        self.params, self.runs = [], []
        for r in rows:
            if r["param"] not in self.params:
                self.params.append(r["param"])
            if r["run"] not in self.runs:
                self.runs.append(r["run"])
            for k, v in r.items():
                try:
                    vals[(r["run"], r["param"], r["variant"], k)].append(float(v))
                except ValueError:
                    pass
        self.vals = vals

    def get(self, run, param, variant, metric):
        v = self.vals.get((run, param, variant, metric))
        return statistics.median(v) if v else None

    def spread(self, run, param, variant, metric):
        v = self.vals.get((run, param, variant, metric))
        return (min(v), max(v)) if v else (None, None)


def ratio(a, b):
    return a / b if a is not None and b not in (None, 0) else None


def table(m, a):
    out = ["| param | metric | run | %s median [min, max] | %s median [min, max] | ratio |" % (a.subject, a.anchor),
           "|---|---|---|---|---|---|"]
    for p in m.params:
        for metric in a.metrics:
            for run in m.runs:
                s, n = m.get(run, p, a.subject, metric), m.get(run, p, a.anchor, metric)
                if s is None and n is None:
                    continue

                def cell(v, variant):
                    lo, hi = m.spread(run, p, variant, metric)
                    return "%s [%s, %s]" % (fmt(v), fmt(lo), fmt(hi)) if v is not None else "n/a"
                out.append("| %s | %s | %s | %s | %s | %s |" % (p, metric, run, cell(s, a.subject), cell(n, a.anchor),
                                                              fmt(ratio(s, n))))
    return out


def repeat_table(m, a):
    """Run k vs run 1 for every figure and every ratio: the icount rows must repeat within tolerance."""
    if len(m.runs) < 2:
        return ["(one run only: repeatability not shown; RUNS=2 runs the same command twice)"]
    first, worst = m.runs[0], 0.0
    out = ["| param | metric | figure | " + " | ".join("run %s" % r for r in m.runs) + " | max diff |",
           "|---|---|---|" + "---|" * len(m.runs) + "---|"]
    for p in m.params:
        for metric in a.metrics:
            figures = [(a.anchor, lambda run: m.get(run, p, a.anchor, metric)),
                       (a.subject, lambda run: m.get(run, p, a.subject, metric)),
                       ("ratio", lambda run: ratio(m.get(run, p, a.subject, metric), m.get(run, p, a.anchor, metric)))]
            for name, f in figures:
                vs = [f(run) for run in m.runs]
                if any(v is None for v in vs) or not vs[0]:
                    continue
                d = max(abs(v / vs[0] - 1) for v in vs)
                if metric not in a.loose:
                    worst = max(worst, d)
                out.append("| %s | %s | %s | %s | %s%s |" % (p, metric, name, " | ".join(fmt(v) for v in vs),
                                                            "%.2f%%" % (100 * d), "" if metric not in a.loose else " (tail)"))
    verdict = "within" if worst <= a.tolerance else "NOT within"
    out.append("")
    out.append("Largest run-to-run difference (tail metrics %s excluded): %.2f%%: %s the %.0f%% goal."
               % (",".join(sorted(a.loose)) or "none", 100 * worst, verdict, 100 * a.tolerance))
    return out


def goals_smc_vs_tcp(m, a):
    """Our layers keep >= 90% of the C pair's absolute per-trip saving and of its stream gain;
    p99 on SMC-D <= 1.2x our p99 on TCP."""
    impl = a.goal_impl   # the subject's param prefix: vertx (row 6), grpc (its own row)
    name = {"vertx": "Vert.x", "grpc": "gRPC"}.get(impl, impl)
    out = [("| run | C saving per trip (us) | %s saving per trip (us) | kept (goal >= 0.90) | C stream gain | %s stream gain | kept (goal >= 0.90) | %s p99 SMC-D / TCP (goal <= 1.2) |"
            % (name, name, name)),
           "|---|---|---|---|---|---|---|---|"]
    anchor = getattr(m, "anchor", None)
    absolute = []

    def get(run, param, variant, metric):
        """A figure of this run; the C pair's from --anchor-raw (its first run) when this run has none."""
        v = m.get(run, param, variant, metric)
        if v is None and anchor is not None and param.startswith("c-"):
            v = anchor.get(anchor.runs[0], param, variant, metric)
        return v
    for run in m.runs:
        def saving(impl):
            t, s = get(run, impl + "-rr64", "tcp", "mean_us"), get(run, impl + "-rr64", "smc", "mean_us")
            return t - s if t is not None and s is not None else None

        def gain(impl):
            t, s = get(run, impl + "-stream", "tcp", "MBps"), get(run, impl + "-stream", "smc", "MBps")
            return s / t - 1 if t and s is not None else None
        def per_mb_saving(impl):
            t, s = get(run, impl + "-stream", "tcp", "MBps"), get(run, impl + "-stream", "smc", "MBps")
            return 1e6 / t - 1e6 / s if t and s else None
        cs, vs, cg, vg = saving("c"), saving(impl), gain("c"), gain(impl)
        absolute.append((run, per_mb_saving("c"), per_mb_saving(impl)))
        p99 = ratio(m.get(run, impl + "-rr64", "smc", "p99_us"), m.get(run, impl + "-rr64", "tcp", "p99_us"))
        pct = lambda g: "%+.1f%%" % (100 * g) if g is not None else "n/a"
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (run, fmt(cs), fmt(vs), fmt(ratio(vs, cs)), pct(cg), pct(vg),
                                                                  fmt(ratio(vg, cg)), fmt(p99)))
    out.append("")
    out.append("The stream in absolute terms (guest-us per MB streamed that SMC-D saves; not the goal, which is the relative gain):")
    out.append("")
    out.append("| run | C saving per MB (us) | %s saving per MB (us) | kept |" % name)
    out.append("|---|---|---|---|")
    for run, c, v in absolute:
        out.append("| %s | %s | %s | %s |" % (run, fmt(c), fmt(v), fmt(ratio(v, c))))
    if anchor is not None:
        out.append("")
        out.append("The C pair's figures (saving, gain) are from `--anchor-raw` %s (run %s), not from this run."
                   % (a.anchor_raw, anchor.runs[0]))
    return out


def goals_smcr_2vm(m, a):
    """Two guests: guest time is not a figure, so the savings are in instructions (both guests):
    per round trip and per MiB streamed; our layers keep >= 90% of the C pair's saving."""
    out = ["| run | C saving per trip (instr) | Vert.x saving per trip (instr) | kept (goal >= 0.90) | C saving per MiB (instr) | Vert.x saving per MiB (instr) | kept (goal >= 0.90) |",
           "|---|---|---|---|---|---|---|"]
    for run in m.runs:
        def saving(param, metric):
            t, s = m.get(run, param, "tcp", metric), m.get(run, param, "smc", metric)
            return t - s if t is not None and s is not None else None
        ct, vt = saving("c-rr64", "instr_per_trip"), saving("vertx-rr64", "instr_per_trip")
        cm, vm = saving("c-stream", "instr_per_MiB"), saving("vertx-stream", "instr_per_MiB")
        out.append("| %s | %s | %s | %s | %s | %s | %s |" % (run, fmt(ct), fmt(vt), fmt(ratio(vt, ct)), fmt(cm), fmt(vm), fmt(ratio(vm, cm))))
    out.append("")
    out.append("A negative saving means SMC-R costs more instructions than TCP there; \"kept\" is then not a goal figure.")
    out.append("What our layers add on top of the C pair, per mode (the same work on SMC-R as on TCP is the goal's intent):")
    out.append("")
    out.append("| run | Vert.x - C per trip, TCP | Vert.x - C per trip, SMC-R | SMC-R / TCP | Vert.x - C per MiB, TCP | Vert.x - C per MiB, SMC-R | SMC-R / TCP |")
    out.append("|---|---|---|---|---|---|---|")
    for run in m.runs:
        def extra(param_suffix, mode, metric):
            v, c = m.get(run, "vertx-" + param_suffix, mode, metric), m.get(run, "c-" + param_suffix, mode, metric)
            return v - c if v is not None and c is not None else None
        tt, ts = extra("rr64", "tcp", "instr_per_trip"), extra("rr64", "smc", "instr_per_trip")
        mt, ms = extra("stream", "tcp", "instr_per_MiB"), extra("stream", "smc", "instr_per_MiB")
        out.append("| %s | %s | %s | %s | %s | %s | %s |" % (run, fmt(tt), fmt(ts), fmt(ratio(ts, tt)), fmt(mt), fmt(ms), fmt(ratio(ms, mt))))
    return out


def raw_rdma_smcr_2vm(m):
    """The raw-RDMA baseline beside the C pair on the same link: instructions of both guests per 64 B
    round trip of each verbs ping-pong (param verbs-rr64: variant c = rdma-core's ibv_rc_pingpong, disni =
    smc-disni's PingPong over DiSNI) as a ratio to the C pair's TCP (and SMC-R) in the same run."""
    if not any(m.get(run, "verbs-rr64", v, "instr_per_trip") is not None for run in m.runs for v in ("c", "disni")):
        return []
    cols = [("TCP (C pair)", lambda run: m.get(run, "c-rr64", "tcp", "instr_per_trip")),
            ("SMC-R (C pair)", lambda run: m.get(run, "c-rr64", "smc", "instr_per_trip")),
            ("verbs, C (ibv_rc_pingpong)", lambda run: m.get(run, "verbs-rr64", "c", "instr_per_trip")),
            ("verbs, DiSNI (JVM)", lambda run: m.get(run, "verbs-rr64", "disni", "instr_per_trip"))]
    ratios = [("SMC-R / TCP", 1, 0), ("verbs C / TCP", 2, 0), ("DiSNI / TCP", 3, 0), ("DiSNI / verbs C", 3, 2), ("verbs C / SMC-R", 2, 1)]
    out = ["", "### Raw RDMA beside SMC-R and TCP on the same link (instruction-count model, 64 B round trips)", "",
           "Instructions of both guests per round trip (median over the run's rounds) and their ratios; "
           "ibv_rc_pingpong's figure is the difference between a window of many and one of few trips "
           "(its per-process setup left out; `setup_instr` in raw.txt).", "",
           "| run | " + " | ".join(c for c, _ in cols) + " | " + " | ".join(r for r, _, _ in ratios) + " |",
           "|---|" + "---|" * (len(cols) + len(ratios))]
    values = {}
    for run in m.runs:
        v = [f(run) for _, f in cols]
        rs = [ratio(v[a], v[b]) for _, a, b in ratios]
        values[run] = v + rs
        out.append("| %s | %s | %s |" % (run, " | ".join(fmt(x) for x in v), " | ".join(fmt(x) for x in rs)))
    if len(m.runs) >= 2:
        first = values[m.runs[0]]
        diffs = []
        for i, name in enumerate([c for c, _ in cols] + [r for r, _, _ in ratios]):
            vs = [values[run][i] for run in m.runs]
            if all(x is not None for x in vs) and vs[0]:
                diffs.append("%s %.2f%%" % (name, 100 * max(abs(x / vs[0] - 1) for x in vs)))
        out.append("")
        out.append("Run-to-run difference (largest, against run %s): %s." % (m.runs[0], "; ".join(diffs) or "n/a"))
    return out


def goals_smcr_2vm_all(m, a):
    return goals_smcr_2vm(m, a) + raw_rdma_smcr_2vm(m)


GOALS = {"smc-vs-tcp": goals_smc_vs_tcp, "smcr-2vm": goals_smcr_2vm_all}


def main():
    ap = summarize.arguments()
    ap.add_argument("--goals", choices=sorted(GOALS))
    ap.add_argument("--goal-impl", default="vertx", help="the subject implementation the goals compare with the C pair (param prefix)")
    ap.add_argument("--tolerance", type=float, default=0.01)
    ap.add_argument("--anchor-raw", help="raw.txt of an earlier run whose C pair figures the goals use when this run has none")
    ap.add_argument("--loose", default="p99_us", help="tail metrics shown but not held to the tolerance")
    ap.add_argument("--model", default="Instruction-count model (qemu -icount shift=0,sleep=off, one vCPU): 1 guest-us = 1,000 instructions.")
    a = ap.parse_args()
    a.metrics = a.metrics.split(",")
    a.loose = set(x for x in a.loose.split(",") if x)
    rows, quiet_note = quiet_rounds(parse(a.raw))
    m = Medians(rows)
    m.anchor = Medians(parse(a.anchor_raw)) if a.anchor_raw else None
    out = []
    if a.title:
        out.append("## " + a.title + "\n")
    out.append(a.model)
    out.append("Ratio = %s / %s of the medians over each run's rounds.\n" % (a.subject, a.anchor))
    out += table(m, a)
    out += [""] + quiet_note if quiet_note else []
    out.append("\n### Repeatability: the same command, run by run\n")
    out += repeat_table(m, a)
    if a.goals:
        out.append("\n### Goals\n")
        out += GOALS[a.goals](m, a)
    print("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
