#!/usr/bin/env python3
"""The capacity figure and table of docs/REPRODUCTION.md, from a sweep of checkerboard-capacity.yaml.

    python3 docs/reproduction/capacity.py SWEEP_DIR... [--out DIR]

Reads SWEEP_DIR/runs/*/metrics.csv of one or more sweeps (e.g. seeds 0..9, then --set seeds=10..29) (standard library only) and, for the colour in hidden3 at the
last probe point, prints per decoder the mean over seeds with its t-based 95 % interval and the
paired difference from the linear decoder; writes capacity.svg (one thin line per seed, the mean
thick) into --out (default: docs/reproduction/checkerboard-capacity).
"""
import argparse
import csv
import glob
import math
import os

DECODERS = [("linear", "linear"), ("mlp", "MLP 64 × 300"), ("mlp-3k", "× 3,000 steps"), ("mlp-wide", "256 units"),
            ("mlp-deep", "2 layers"), ("mlp-restarts", "5 restarts"), ("mlp-early", "early stopping")]
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110,
        2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def interval(values):
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, float("nan")
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    return mean, (T975[n - 2] if n - 2 < len(T975) else 1.96) * sd / math.sqrt(n)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sweeps", nargs="+")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "checkerboard-capacity"))
    args = ap.parse_args()
    final = {}  # (probe, seed) → bits at the last point
    for f in [f for sweep in args.sweeps for f in glob.glob(os.path.join(sweep, "runs", "*", "metrics.csv"))]:
        last = {}
        for r in csv.DictReader(open(f)):
            if r["layer"] == "hidden3" and r["variable"] == "color" and r["metric"] == "bits" and r["value"]:
                step = int(r["step"])
                if step >= last.get(r["probe"], (-1, 0))[0]:
                    last[r["probe"]] = (step, float(r["value"]), int(r["seed"]))
        for probe, (step, value, seed) in last.items():
            final[(probe, seed)] = value
    seeds = sorted({s for (_, s) in final})
    print(f"| decoder | colour in hidden3 at the end (bits) | minus linear, paired | n |\n|---|---|---|---|")
    for probe, name in DECODERS:
        v = [final[(probe, s)] for s in seeds if (probe, s) in final]
        d = [final[(probe, s)] - final[("linear", s)] for s in seeds if (probe, s) in final]
        m, h = interval(v)
        dm, dh = interval(d)
        diff = "—" if probe == "linear" else f"{dm:+.3f} [{dm - dh:+.3f}, {dm + dh:+.3f}]"
        print(f"| {name} | {m:.3f} [{m - h:.3f}, {m + h:.3f}] | {diff} | {len(v)} |")
    # the figure
    w, h, left, right, top, bottom = 600, 300, 60, 50, 30, 60
    ymax = max(0.9, max(final.values()) * 1.05)
    x = lambda i: left + i * (w - left - right) / (len(DECODERS) - 1)
    y = lambda b: top + (1 - b / ymax) * (h - top - bottom)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
           'font-family="Helvetica, Arial, sans-serif" font-size="11">',
           f'<rect width="{w}" height="{h}" fill="#fff"/>',
           f'<text x="{w / 2}" y="16" text-anchor="middle" font-size="13">colour in hidden3 after 100 epochs, by decoder capacity ({len(seeds)} seeds)</text>']
    for t in [0, 0.2, 0.4, 0.6, 0.8]:
        if t <= ymax:
            out.append(f'<line x1="{left}" x2="{w - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#ddd"/>'
                       f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end">{t:.1f}</text>')
    out.append(f'<text x="14" y="{(top + h - bottom) / 2}" transform="rotate(-90 14 {(top + h - bottom) / 2})" text-anchor="middle">bits</text>')
    for i, (_, name) in enumerate(DECODERS):
        out.append(f'<text x="{x(i):.1f}" y="{h - bottom + 16}" text-anchor="middle">{name}</text>')
    for s in seeds:
        pts = [(x(i), y(final[(p, s)])) for i, (p, _) in enumerate(DECODERS) if (p, s) in final]
        out.append('<polyline fill="none" stroke="#9ab" stroke-width="1" points="' + " ".join(f"{a:.1f},{b:.1f}" for a, b in pts) + '"/>')
    means = [(x(i), y(interval([final[(p, s)] for s in seeds if (p, s) in final])[0])) for i, (p, _) in enumerate(DECODERS)]
    out.append('<polyline fill="none" stroke="#c33" stroke-width="3" points="' + " ".join(f"{a:.1f},{b:.1f}" for a, b in means) + '"/>')
    out.append(f'<text x="{w - right}" y="{h - 12}" text-anchor="end" fill="#c33">mean</text>'
               f'<text x="{left}" y="{h - 12}" fill="#789">one line per seed</text></svg>')
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "capacity.svg"), "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
