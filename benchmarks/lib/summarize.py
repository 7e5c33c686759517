"""Summaries of raw benchmark runs: median, min, max per metric, and per-round ratios subject/anchor.

raw.txt holds one run per line as key=value pairs, with at least bench, param, variant, round.
usage: summarize.py RAW --subject VARIANT --anchor VARIANT --metrics m1,m2 [--title T]
"""
import argparse
import collections
import statistics
import sys


def parse(path):
    runs = []
    for line in open(path):
        kv = dict(p.split("=", 1) for p in line.split() if "=" in p)
        if {"param", "variant", "round"} <= kv.keys():
            runs.append(kv)
    return runs


def fmt(x):
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return "%.0f" % x
    if abs(x) >= 1:
        return "%.2f" % x
    return "%.3f" % x


def arguments():
    """The arguments every summary takes (icount_report.py adds its own to them)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("raw")
    ap.add_argument("--subject", required=True)
    ap.add_argument("--anchor", required=True)
    ap.add_argument("--metrics", required=True)
    ap.add_argument("--title", default="")
    return ap


def main():
    a = arguments().parse_args()
    metrics = a.metrics.split(",")
    runs = parse(a.raw)
    by = collections.defaultdict(list)
    params = []
    for r in runs:
        if r["param"] not in params:
            params.append(r["param"])
        by[(r["param"], r["variant"], r["round"])].append(r)
    out = []
    if a.title:
        out.append("## " + a.title + "\n")
    out.append("Ratio = %s / %s, computed per round (A B side by side), then median [min, max] over rounds.\n"
               % (a.subject, a.anchor))
    out.append("| param | metric | %s median [min, max] | %s median [min, max] | ratio median [min, max] | rounds |"
               % (a.subject, a.anchor))
    out.append("|---|---|---|---|---|---|")
    for p in params:
        rounds = sorted({r for (pp, _, r) in by if pp == p}, key=lambda s: int(s) if s.isdigit() else s)
        for m in metrics:
            vals = {a.subject: [], a.anchor: []}
            ratios = []
            for rd in rounds:
                s = [float(x[m]) for x in by.get((p, a.subject, rd), []) if m in x]
                n = [float(x[m]) for x in by.get((p, a.anchor, rd), []) if m in x]
                vals[a.subject] += s
                vals[a.anchor] += n
                if s and n and n[0] != 0:
                    ratios.append(s[0] / n[0])

            def cell(v):
                return "%s [%s, %s]" % (fmt(statistics.median(v)), fmt(min(v)), fmt(max(v))) if v else "n/a"
            if not vals[a.subject] and not vals[a.anchor]:
                continue
            out.append("| %s | %s | %s | %s | %s | %d |" % (p, m, cell(vals[a.subject]), cell(vals[a.anchor]),
                                                          cell(ratios), len(ratios)))
    print("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
